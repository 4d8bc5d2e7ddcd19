//! Secret rules: credentials and key material.
//!
//! As in Nosey Parker, every rule names literal keywords; one Aho-Corasick
//! automaton over all keywords tells which rules can match a text, and only
//! those rules' regular expressions run. Rules carry an entropy floor where
//! the pattern alone is not specific, and every value is checked against
//! documented placeholders (`AKIAIOSFODNN7EXAMPLE`, `YOUR_API_KEY_HERE`,
//! `sk_live_XXXX…`). Specific rules score higher than the generic
//! `key = value` rule, so overlap resolution never lets the generic rule
//! shadow a specific one.

use crate::keywords::Keywords;
use crate::pattern::compile;
use crate::validators::shannon_entropy;
use crate::{Candidate, Error};
use base64::Engine;
use regex::Regex;
use veil_core::EntityType as E;

/// One secret rule.
pub struct SecretRule {
    /// Rule name, reported as the finding's recognizer.
    pub name: &'static str,
    /// Entity type reported.
    pub entity: E,
    /// Literal keywords (matched case-insensitively); the rule runs only when one occurs.
    pub keywords: &'static [&'static str],
    /// The pattern; capture group 1, when present, is the reported span.
    pub pattern: &'static str,
    /// The pattern compiled, at the first text holding one of the rule's
    /// keywords: most texts activate few rules, and compiling all of them
    /// up front (~7 ms, half of it the PEM block's 16 KiB body) was nearly
    /// all of the scanner's start-up. `None` inside when the pattern does
    /// not compile (every built-in pattern compiles: tested).
    regex: std::sync::OnceLock<Option<crate::per_thread::LocalRegex>>,
    /// Minimum Shannon entropy (bits per character) of the value, if any.
    pub min_entropy: f64,
    /// Extra structural check of the value.
    pub validator: Option<fn(&str) -> bool>,
    /// Score of a finding.
    pub score: f32,
}

impl SecretRule {
    /// The rule's compiled pattern (compiled on first use); `None` when it
    /// does not compile.
    pub fn regex(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| compile(self.name, self.pattern).ok())
            .as_ref()
            .map(|r| &**r)
    }

    /// Compile the rule's pattern now, reporting why it does not compile.
    pub fn check(&self) -> Result<(), Error> {
        compile(self.name, self.pattern).map(|_| ())
    }
}

/// All secret rules with their shared keyword prefilter.
pub struct SecretScanner {
    rules: Vec<SecretRule>,
    /// Every rule's keywords in one automaton ([`Keywords`], with no
    /// trigger strings): [`SecretScanner::analyze`]'s pass.
    prefilter: Keywords,
}

/// Every rule's keywords, each with the index of its rule.
fn keywords_of(rules: &[SecretRule]) -> Vec<(&'static str, usize)> {
    rules
        .iter()
        .enumerate()
        .flat_map(|(i, r)| r.keywords.iter().map(move |k| (*k, i)))
        .collect()
}

/// Whether a value is a documented placeholder or an obvious dummy.
pub fn is_placeholder(value: &str) -> bool {
    let l = value.to_ascii_lowercase();
    const MARKERS: &[&str] = &[
        "example",
        "xxxx",
        "your_",
        "your-",
        "yourapi",
        "your api",
        "placeholder",
        "changeme",
        "change_me",
        "dummy",
        "redacted",
        "<",
        ">",
        "${",
        "{{",
        "%(",
        "insert_",
        "replace_me",
        "replaceme",
        "fake",
        "notreal",
        "not_real",
        "foobar",
        "*****",
        "....",
        "here",
        "todo",
    ];
    if MARKERS.iter().any(|m| l.contains(m)) {
        return true;
    }
    let b = value.as_bytes();
    // Long runs of one character: 0000000…, aaaaaaaa…
    b.windows(6).any(|w| w.iter().all(|&c| c == w[0]))
}

fn jwt_ok(s: &str) -> bool {
    let Some(header) = s.split('.').next() else {
        return false;
    };
    let Ok(bytes) =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header.trim_end_matches('='))
    else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.get("alg").cloned())
        .is_some()
}

fn generic_value_ok(v: &str) -> bool {
    let len = v.chars().count();
    if !(8..=200).contains(&len) {
        return false;
    }
    // Code, not a literal: references, calls, attribute access, identifiers.
    let first = v.chars().next().unwrap_or(' ');
    if matches!(first, '$' | '%' | '&' | '@' | '(' | '[' | '{' | '!' | '#') || v.contains('(') {
        return false;
    }
    // A path, the rest of one, a macro: "windows_sys::core::PCWSTR" (a
    // field's type), ":take_while" (after "key:"), "Token![=".
    if first == ':' || v.contains("::") || v.contains("![") || v.ends_with('!') {
        return false;
    }
    // A comparison or a closure's bar: "token==TK_SPACE", "|tokens:".
    if matches!(first, '=' | '|') {
        return false;
    }
    // Member access: "node.colon2_token", "self.passwd" (not a password
    // of dotted words, "c0rrect.h0rse.b4ttery").
    let segments: Vec<&str> = v.split('.').collect();
    let member = segments.len() >= 2
        && segments.iter().all(|seg| {
            seg.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
        && (matches!(segments[0], "self" | "this" | "cls")
            || segments.iter().any(|seg| seg.contains('_')));
    if member {
        return false;
    }
    // A constant's or a generated item's name: "WIN32_ERROR", "_bindgen_ty_7".
    let word = v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let screaming = v.contains('_') && !v.bytes().any(|b| b.is_ascii_lowercase());
    if word && (first == '_' || (screaming && first.is_ascii_uppercase())) {
        return false;
    }
    // An index into a name: "line[pos:", "self.passwd[realm".
    let name_len = v
        .bytes()
        .take_while(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        .count();
    if name_len > 0 && first.is_ascii_alphabetic() && v.as_bytes().get(name_len) == Some(&b'[') {
        return false;
    }
    if v.bytes()
        .all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'.' || b == b'-')
    {
        return false;
    }
    if v.starts_with("process.env")
        || v.starts_with("os.environ")
        || v.starts_with("env.")
        || v.starts_with("secrets.")
    {
        return false;
    }
    let classes = [
        v.bytes().any(|b| b.is_ascii_lowercase()),
        v.bytes().any(|b| b.is_ascii_uppercase()),
        v.bytes().any(|b| b.is_ascii_digit()),
        v.bytes().any(|b| !b.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    // UUIDs and bare hex digests under a credential-looking key are still
    // credentials; UUIDs elsewhere never reach this rule.
    classes >= 2 && shannon_entropy(v) >= 3.0
}

fn pem_ok(s: &str) -> bool {
    s.len() >= 100
}

fn db_url_ok(s: &str) -> bool {
    // The password is between the first ':' after the scheme's "//" and the '@'.
    let Some(rest) = s.split_once("//").map(|(_, r)| r) else {
        return false;
    };
    let Some((creds, _)) = rest.rsplit_once('@') else {
        return false;
    };
    let Some((_, pw)) = creds.split_once(':') else {
        return false;
    };
    let l = pw.to_ascii_lowercase();
    !(matches!(
        l.as_str(),
        "password" | "pass" | "passwd" | "pwd" | "secret" | "xxx" | "***" | "****"
    ) || is_placeholder(pw))
}

impl SecretScanner {
    /// Build every secret rule and the prefilter.
    pub fn new() -> Result<Self, Error> {
        type Spec = (
            &'static str,
            E,
            &'static [&'static str],
            &'static str,
            f64,
            Option<fn(&str) -> bool>,
            f32,
        );
        let specs: Vec<Spec> = vec![
            (
                "aws_access_key_id",
                E::AWS_ACCESS_KEY,
                &["akia", "asia", "abia", "acca", "a3t"],
                r"\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})\b",
                3.0,
                None,
                0.95,
            ),
            (
                "aws_secret_access_key",
                E::AWS_SECRET_KEY,
                &["aws"],
                r#"(?i)aws[\w.-]{0,30}?(?:secret|sk)[\w.-]{0,30}["']?\s*(?::=|=>|[:=])\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
                3.5,
                None,
                0.95,
            ),
            (
                "github_token",
                E::GITHUB_TOKEN,
                &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
                r"\b(gh[pousr]_[A-Za-z0-9]{36,255})\b",
                3.0,
                None,
                0.99,
            ),
            (
                "github_fine_grained_pat",
                E::GITHUB_TOKEN,
                &["github_pat_"],
                r"\b(github_pat_[A-Za-z0-9_]{82})\b",
                3.0,
                None,
                0.99,
            ),
            (
                "gitlab_token",
                E::GITLAB_TOKEN,
                &["glpat-", "glptt-", "gldt-"],
                r"\b((?:glpat|glptt|gldt)-[A-Za-z0-9_-]{20,50})(?:[^A-Za-z0-9_-]|$)",
                3.0,
                None,
                0.99,
            ),
            (
                "slack_token",
                E::SLACK_TOKEN,
                &["xox"],
                r"\b(xox[abposr]-[A-Za-z0-9-]{10,250})\b",
                3.0,
                None,
                0.99,
            ),
            (
                "slack_webhook",
                E::SLACK_TOKEN,
                &["hooks.slack.com"],
                r"(https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,120})",
                3.0,
                None,
                0.99,
            ),
            (
                "stripe_key",
                E::STRIPE_KEY,
                &["sk_live_", "sk_test_", "rk_live_", "rk_test_"],
                r"\b((?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,247})\b",
                3.0,
                None,
                0.99,
            ),
            (
                "google_api_key",
                E::GOOGLE_API_KEY,
                &["aiza"],
                r"\b(AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$)",
                3.0,
                None,
                0.97,
            ),
            (
                "openai_api_key",
                E::OPENAI_API_KEY,
                &["sk-"],
                r"\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}|sk-(?:proj|svcacct|admin|ant-api\d\d)-[A-Za-z0-9_-]{40,200}|sk-[A-Za-z0-9]{48})(?:[^A-Za-z0-9_-]|$)",
                3.0,
                None,
                0.97,
            ),
            (
                "private_key_pem",
                E::PRIVATE_KEY,
                &["private key"],
                // The body is ASCII (RFC 7468: base64 and RFC 1421 headers).
                // An ASCII class repeated 16 KiB times compiles in a few
                // milliseconds; `.` (any UTF-8 scalar) took ~150 ms per
                // process, most of the analyzer's start-up.
                r"(-----BEGIN[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----[\x00-\x7F]{0,16384}?-----END[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----)",
                0.0,
                Some(pem_ok),
                1.0,
            ),
            (
                "jwt",
                E::JWT,
                &["eyj"],
                r"\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})",
                3.0,
                Some(jwt_ok),
                0.95,
            ),
            (
                "database_url",
                E::DATABASE_URL,
                &["://"],
                r#"\b((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse)://[^\s:/@"'<>]+:[^\s@/"'<>]{3,}@[^\s"'<>/]+(?:/[^\s"'<>]*)?)"#,
                0.0,
                Some(db_url_ok),
                0.97,
            ),
            (
                "bearer_token",
                E::GENERIC_SECRET,
                &["bearer"],
                r"(?i)\bbearer\s+([A-Za-z0-9._~+/-]{20,}=*)",
                3.5,
                Some(generic_value_ok),
                0.8,
            ),
            (
                "url_credential_param",
                E::GENERIC_SECRET,
                &[
                    "key=",
                    "token=",
                    "secret=",
                    "apikey=",
                    "appid=",
                    "auth=",
                    "password=",
                    "sig=",
                ],
                r"(?i)[?&](?:api[_-]?key|key|token|access_token|auth_token|secret|client_secret|apikey|appid|auth|password|sig)=([A-Za-z0-9._~+/%-]{16,})",
                3.5,
                Some(generic_value_ok),
                0.75,
            ),
            (
                "generic_credential",
                E::GENERIC_SECRET,
                &[
                    "pass",
                    "pwd",
                    "secret",
                    "token",
                    "key",
                    "auth",
                    "credential",
                ],
                r#"(?i)(?:^|[^A-Za-z0-9])[A-Za-z0-9_.-]*(?:password|passwd|passphrase|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|private[_.-]?key|signing[_.-]?key|encryption[_.-]?key|credentials?)[A-Za-z0-9_.-]*["']?\s*(?::=|=>|[:=])\s*[bru]?["'`]?([^\s"'`,;)\]}]{8,200})"#,
                3.0,
                Some(generic_value_ok),
                0.7,
            ),
        ];
        let rules: Vec<SecretRule> = specs
            .into_iter()
            .map(
                |(name, entity, keywords, pattern, min_entropy, validator, score)| SecretRule {
                    name: veil_core::intern(name),
                    entity,
                    keywords,
                    pattern,
                    regex: std::sync::OnceLock::new(),
                    min_entropy,
                    validator,
                    score,
                },
            )
            .collect();
        let keywords: Vec<(&str, usize)> = keywords_of(&rules);
        let prefilter =
            Keywords::new(&[], &keywords, rules.len(), &[])?.ok_or(Error::BadPattern {
                recognizer: "secret prefilter".into(),
                message: "no keywords".into(),
            })?;
        Ok(SecretScanner { rules, prefilter })
    }

    /// The rules, in priority order.
    pub fn rules(&self) -> &[SecretRule] {
        &self.rules
    }

    /// Every rule's keywords, each with the index of its rule in
    /// [`SecretScanner::rules`] (for a keyword pass shared with other
    /// recognizers: [`crate::keywords::Keywords`]).
    pub fn keywords(&self) -> Vec<(&'static str, usize)> {
        keywords_of(&self.rules)
    }

    /// Per rule, whether one of its keywords occurs in `text`.
    fn active_rules(&self, text: &str) -> Vec<bool> {
        self.prefilter.scan(text).active
    }

    /// Append secret candidates in `text` to `out`.
    pub fn analyze(&self, text: &str, out: &mut Vec<Candidate>) {
        self.analyze_active(text, &self.active_rules(text), out);
    }

    /// As [`SecretScanner::analyze`], running the rules `active` says (per
    /// rule, whether one of its keywords occurs in `text`, as a shared
    /// keyword pass found them).
    pub fn analyze_active(&self, text: &str, active: &[bool], out: &mut Vec<Candidate>) {
        for (rule, _) in self.rules.iter().zip(active).filter(|(_, a)| **a) {
            let Some(regex) = rule.regex() else {
                continue;
            };
            for caps in regex.captures_iter(text) {
                let Some(m) = caps.get(1).or_else(|| caps.get(0)) else {
                    continue;
                };
                let v = m.as_str();
                // Database URLs check their password part in their validator:
                // the host may well be example.com.
                if rule.entity != E::PRIVATE_KEY
                    && rule.entity != E::DATABASE_URL
                    && is_placeholder(v)
                {
                    continue;
                }
                if rule.min_entropy > 0.0 && shannon_entropy(v) < rule.min_entropy {
                    continue;
                }
                if let Some(check) = rule.validator
                    && !check(v)
                {
                    continue;
                }
                out.push(Candidate {
                    entity: rule.entity.clone(),
                    start: m.start(),
                    end: m.end(),
                    score: rule.score,
                    recognizer: rule.name,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy as _;

    static SCANNER: std::sync::LazyLock<SecretScanner> =
        std::sync::LazyLock::new(|| SecretScanner::new().unwrap());

    proptest::proptest! {
        /// The activated rules are those an overlapping walk over the whole
        /// text finds keywords of, on texts dense with overlapping keywords.
        #[test]
        fn active_rules_match_a_full_overlapping_walk(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec![
                        "sk_", "sk-", "xox", "ghp_", "akia", "AKIA", "secret", "token", "key",
                        "eyj", "bearer", "private key", "postgres", "glpat", "aiza", "hooks.slack",
                    ]).prop_map(str::to_string),
                    "[a-zA-Z_ -]{0,4}",
                ],
                0..12,
            )
        ) {
            let s = &*SCANNER;
            let text: String = parts.concat();
            let expected = crate::keywords::tests::rules_alone(&text, &s.keywords(), s.rules.len());
            proptest::prop_assert_eq!(s.active_rules(&text), expected, "{:?}", text);
        }
    }

    fn scan(text: &str) -> Vec<(String, String)> {
        let s = SecretScanner::new().unwrap();
        let mut out = Vec::new();
        s.analyze(text, &mut out);
        out.iter()
            .map(|c| (c.entity.to_string(), text[c.start..c.end].to_string()))
            .collect()
    }

    #[test]
    fn every_rule_pattern_compiles() {
        for rule in SCANNER.rules() {
            rule.check().unwrap();
            assert!(rule.regex().is_some(), "{}", rule.name);
        }
    }

    #[test]
    fn rule_examples() {
        let positives = [
            ("AWS_ACCESS_KEY", "aws_access_key_id = AKIAZ2K3QW7RT4YU5PLM"),
            (
                "GITHUB_TOKEN",
                "token: ghp_4aZ1tNqv8WmQ3xYb7KpL2sRd9FhJ6cTe0UoI",
            ),
            ("GITLAB_TOKEN", "GITLAB=glpat-9sKd82JdmQ0aLx7Bv1Zq"),
            (
                "SLACK_TOKEN",
                "SLACK_TOKEN=xoxb-2048123456-4096123456-Zk9aQm2WcT8rLp1Xs7VdNf3B",
            ),
            (
                "STRIPE_KEY",
                "stripe.api_key = 'sk_live_51H8aQ2Kx9LmN3pR7sT1vW4yZ'",
            ),
            (
                "GOOGLE_API_KEY",
                "https://maps.googleapis.com/maps/api?key=AIzaSyD3x9Kq2LmN8pR4sT6vW1yZ0aB5cD7eF9g",
            ),
            (
                "DATABASE_URL",
                "DATABASE_URL=postgres://app:S3cr3tPw9@db.internal:5432/prod",
            ),
            ("GENERIC_SECRET", "db_password = \"hT7kq9Lz2Rw4\""),
            // Values the code shapes leave alone.
            ("GENERIC_SECRET", "password: c0rrect.h0rse.b4ttery"),
            ("GENERIC_SECRET", "api_key = Xk_9fP2mQ7vR4tZ8"),
            ("GENERIC_SECRET", "SMTP_PASSWORD=Tr0ub4dor&3x"),
        ];
        for (entity, text) in positives {
            let found = scan(text);
            assert!(
                found.iter().any(|(e, _)| e == entity),
                "{entity} not found in {text}: {found:?}"
            );
        }
    }

    #[test]
    fn placeholders_and_non_secrets_are_ignored() {
        for text in [
            "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
            "stripe_key = sk_live_XXXXXXXXXXXXXXXXXXXXXXXX",
            "api_key: YOUR_API_KEY_HERE",
            "commit 3f786850e387550fdab836ed7e6dc881de23001b",
            "\"integrity\": \"sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==\"",
            "id = 123e4567-e89b-12d3-a456-426614174000",
            "password = get_password()",
            "comment_token = line[pos:].rstrip('\\r\\n')",
            "    pub token: windows_sys::core::PCWSTR,",
            "    key: super::super::Foundation::HANDLE,",
            "    secret_key::take_while(|c| c.is_alphanumeric())",
            "    let token: Token![=] = input.parse()?;",
            "pub const PASSWORD_ERROR: u32 = WIN32_ERROR_BASE;",
            "    pub _token: _bindgen_ty_7,",
            "    if( tokenType==TK_SPACE ){",
            "    let secret_token = node.colon2_token;",
            "    let tokens = quote_spanned!(span=> #ident);",
            "secret_key = self.keys[realm_name] or default",
            "token: ${{ secrets.GITHUB_TOKEN }}",
            "DATABASE_URL=postgres://user:password@localhost/db",
        ] {
            assert!(
                scan(text).is_empty(),
                "unexpected finding in {text}: {:?}",
                scan(text)
            );
        }
    }

    #[test]
    fn each_pem_block_is_its_own_finding() {
        let body = "MIIEowIBAAKCAQEA".repeat(8);
        let text = format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\nx\n-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n"
        );
        let found = scan(&text);
        assert_eq!(found.iter().filter(|(e, _)| e == "PRIVATE_KEY").count(), 2);
    }
}
