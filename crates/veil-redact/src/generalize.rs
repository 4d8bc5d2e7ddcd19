//! Generalisation of table cells (`action = "generalize"`): a value is
//! replaced by a coarser one that still holds it — a number by its bin, an
//! ISO date by its year or month, a code by its first characters. Values the
//! rule cannot read are reported, never passed through.

use serde::{Deserialize, Serialize};

/// How far a date is truncated.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    /// `1987-03-14` → `1987`.
    Year,
    /// `1987-03-14` → `1987-03`.
    Month,
}

/// One generalisation rule (`[columns.NAME.generalize]`); exactly one field is set.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Generalization {
    /// Numbers go to bins of this width aligned on 0: with width 10, `37`
    /// becomes `30-39` (integers) and `37.5` becomes `[30, 40)`.
    #[serde(default)]
    pub bin_width: Option<f64>,
    /// ISO dates (`YYYY-MM-DD`, optionally followed by a time) keep the year or month.
    #[serde(default)]
    pub date: Option<DatePrecision>,
    /// Keep this many leading characters and mask the rest with `*`
    /// (`94107` with 3 → `941**`).
    #[serde(default)]
    pub keep_prefix: Option<usize>,
}

impl Generalization {
    /// Checks that exactly one rule is set and that it is well formed.
    pub fn check(&self) -> Result<(), String> {
        let set = usize::from(self.bin_width.is_some())
            + usize::from(self.date.is_some())
            + usize::from(self.keep_prefix.is_some());
        if set != 1 {
            return Err("set exactly one of bin_width, date, keep_prefix".into());
        }
        if let Some(w) = self.bin_width
            && !(w.is_finite() && w > 0.0)
        {
            return Err(format!("bin_width must be a positive number, got {w}"));
        }
        Ok(())
    }

    /// The generalised value, or why `value` cannot be generalised by this
    /// rule (the message names the rule, never the value).
    pub fn apply(&self, value: &str) -> Result<String, String> {
        let v = value.trim();
        if let Some(w) = self.bin_width {
            return bin(v, w);
        }
        if let Some(p) = self.date {
            return truncate_date(v, p);
        }
        if let Some(n) = self.keep_prefix {
            let kept: String = v.chars().take(n).collect();
            let masked = v.chars().count().saturating_sub(n);
            return Ok(kept + &"*".repeat(masked));
        }
        Err("no generalisation rule set".into())
    }
}

/// The bin of width `w` (aligned on 0) holding the number `v`.
fn bin(v: &str, w: f64) -> Result<String, String> {
    let x: f64 = v
        .parse()
        .ok()
        .filter(|x: &f64| x.is_finite())
        .ok_or("not a number (generalize.bin_width)")?;
    let lo = (x / w).floor() * w;
    let integral = |f: f64| f.fract() == 0.0 && f.abs() < 9.0e15;
    if integral(w) && !v.contains(['.', 'e', 'E']) {
        // Integers: the closed range of integers in [lo, lo + w).
        return Ok(format!("{}-{}", lo as i64, (lo + w) as i64 - 1));
    }
    Ok(format!("[{}, {})", lo, lo + w))
}

/// `YYYY-MM-DD…` truncated to the year or the month.
fn truncate_date(v: &str, p: DatePrecision) -> Result<String, String> {
    let b = v.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let shaped = b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (b.len() == 10 || matches!(b[10], b'T' | b' '));
    let month: u32 = v.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
    let day: u32 = v.get(8..10).and_then(|d| d.parse().ok()).unwrap_or(0);
    if !shaped || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err("not an ISO date YYYY-MM-DD (generalize.date)".into());
    }
    Ok(match p {
        DatePrecision::Year => v[..4].to_string(),
        DatePrecision::Month => v[..7].to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rule(
        bin_width: Option<f64>,
        date: Option<DatePrecision>,
        keep_prefix: Option<usize>,
    ) -> Generalization {
        Generalization {
            bin_width,
            date,
            keep_prefix,
        }
    }

    #[test]
    fn known_answers() {
        let ten = rule(Some(10.0), None, None);
        assert_eq!(ten.apply("37").unwrap(), "30-39");
        assert_eq!(ten.apply("-3").unwrap(), "-10--1");
        assert_eq!(ten.apply("37.5").unwrap(), "[30, 40)");
        assert!(ten.apply("thirty").is_err());
        assert!(ten.apply("NaN").is_err());
        let year = rule(None, Some(DatePrecision::Year), None);
        assert_eq!(year.apply("1987-03-14").unwrap(), "1987");
        assert_eq!(year.apply("1987-03-14T10:00:00Z").unwrap(), "1987");
        assert_eq!(
            rule(None, Some(DatePrecision::Month), None)
                .apply("1987-03-14")
                .unwrap(),
            "1987-03"
        );
        assert!(year.apply("14/03/1987").is_err());
        assert!(year.apply("1987-13-01").is_err());
        assert_eq!(rule(None, None, Some(3)).apply("94107").unwrap(), "941**");
        assert_eq!(rule(None, None, Some(3)).apply("94").unwrap(), "94");
    }

    #[test]
    fn exactly_one_rule() {
        assert!(rule(None, None, None).check().is_err());
        assert!(rule(Some(5.0), None, Some(2)).check().is_err());
        assert!(rule(Some(0.0), None, None).check().is_err());
        assert!(rule(Some(5.0), None, None).check().is_ok());
    }

    proptest! {
        #[test]
        fn an_integer_lies_in_its_bin(x in -1_000_000i64..1_000_000, w in 1u32..1000) {
            let out = rule(Some(f64::from(w)), None, None).apply(&x.to_string()).unwrap();
            let (lo, hi) = out.split_at(out[1..].find('-').unwrap() + 1);
            let (lo, hi): (i64, i64) = (lo.parse().unwrap(), hi[1..].parse().unwrap());
            prop_assert!(lo <= x && x <= hi);
            prop_assert_eq!(hi - lo + 1, i64::from(w));
            prop_assert_eq!(lo.rem_euclid(i64::from(w)), 0);
        }

        #[test]
        fn a_prefix_keeps_length_and_start(s in "\\PC{0,20}", n in 0usize..10) {
            let s = s.trim().to_string();
            let out = rule(None, None, Some(n)).apply(&s).unwrap();
            prop_assert_eq!(out.chars().count(), s.chars().count());
            let kept: String = s.chars().take(n).collect();
            prop_assert!(out.starts_with(&kept));
        }
    }
}
