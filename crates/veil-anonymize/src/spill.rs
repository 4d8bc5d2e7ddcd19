//! Mondrian over a file in bounded memory. The input is streamed once to
//! encode each row's quasi-identifiers (and sensitive value) as value ids
//! into a spill file; a partition larger than [`SpillLimits::memory_rows`]
//! is split by [`split_counts`] on its per-rank counts and streamed into two
//! child files; a partition that fits is loaded and finished by
//! [`split_rows`]. Each row's released values go to a bucket file by row
//! number, and a last pass streams the input again and writes the output
//! in the input's row order, one bucket in memory at a time.
//!
//! Memory: one in-memory block, one bucket, the per-rank counts and the
//! distinct values of the quasi-identifiers; never the whole table. Spill
//! files live in a temporary directory beside the output (not in /tmp,
//! which may be memory) and are removed when the run ends, also on error.

use crate::config::AnonymizeConfig;
use crate::error::{AnonymizeError, Result};
use crate::hierarchy::Hierarchy;
use crate::mondrian::{Counts, Dims, Released, meets, split_counts, split_rows};
use crate::risk::{Diversity, distinct, emd, entropy_l};
use crate::search::PrivacyModel;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use veil_core::io::atomic::AtomicFile;
use veil_core::io::columns::{column_names, for_each_chunk};

/// How much of the table may be held at once.
#[derive(Clone, Copy, Debug)]
pub struct SpillLimits {
    /// Largest partition split in memory.
    pub memory_rows: usize,
    /// Rows per bucket of released values (at most 1,024 buckets are used).
    pub bucket_rows: usize,
}

impl Default for SpillLimits {
    fn default() -> Self {
        SpillLimits {
            memory_rows: 1 << 20,
            bucket_rows: 1 << 20,
        }
    }
}

/// What a Mondrian run over a file produced.
#[derive(Clone, Debug)]
pub struct MondrianRun {
    /// Rows read (= rows written: Mondrian suppresses nothing).
    pub rows: u64,
    /// Class size → classes, over the original quasi-identifier values.
    pub before: BTreeMap<u32, usize>,
    /// Class size → classes, over the partitions written.
    pub after: BTreeMap<u32, usize>,
    /// Mean NCP over all quasi-identifier cells.
    pub ncp: f64,
    /// Σ |class|².
    pub discernibility: f64,
    /// Diversity of the sensitive attribute in the output.
    pub diversity: Option<Diversity>,
    /// Partitions split out of core (0 when the table fit in memory).
    pub spilled_splits: usize,
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> AnonymizeError + '_ {
    move |e| {
        AnonymizeError::Core(veil_core::Error::Io {
            path: path.to_path_buf(),
            source: e,
        })
    }
}

/// Value → id, with where each value first occurs.
#[derive(Default)]
struct Dict {
    ids: FxHashMap<String, u32>,
    values: Vec<String>,
    first: Vec<u64>,
}

impl Dict {
    fn id(&mut self, v: &str, pos: u64) -> u32 {
        if let Some(&i) = self.ids.get(v) {
            return i;
        }
        let i = self.values.len() as u32;
        self.ids.insert(v.to_string(), i);
        self.values.push(v.to_string());
        self.first.push(pos);
        i
    }
}

/// Ids of `values` in value order: numbers numerically, the rest after them as text.
pub(crate) fn value_order(values: &[String]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&x, &y| {
        let (px, py) = (values[x].parse::<f64>().ok(), values[y].parse::<f64>().ok());
        match (px, py) {
            (Some(a), Some(b)) => a.total_cmp(&b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => values[x].cmp(&values[y]),
        }
    });
    let mut rank = vec![0u32; values.len()];
    for (r, &o) in order.iter().enumerate() {
        rank[o] = r as u32;
    }
    rank
}

/// Spill records: row number (u64), the value ids (u32 each), the sensitive id (u32).
struct Layout {
    nq: usize,
}

impl Layout {
    fn len(&self) -> usize {
        8 + 4 * self.nq + 4
    }

    fn write(&self, w: &mut impl Write, row: u64, codes: &[u32], s: u32) -> std::io::Result<()> {
        w.write_all(&row.to_le_bytes())?;
        for c in codes {
            w.write_all(&c.to_le_bytes())?;
        }
        w.write_all(&s.to_le_bytes())
    }

    fn read(&self, rec: &[u8], codes: &mut [u32]) -> (u64, u32) {
        let word = |i: usize| u32::from_le_bytes([rec[i], rec[i + 1], rec[i + 2], rec[i + 3]]);
        let mut row = [0u8; 8];
        row.copy_from_slice(&rec[..8]);
        for (q, c) in codes.iter_mut().enumerate() {
            *c = word(8 + 4 * q);
        }
        (u64::from_le_bytes(row), word(8 + 4 * self.nq))
    }
}

/// Calls `f` on each record of a spill file.
fn each_record(
    path: &Path,
    layout: &Layout,
    mut f: impl FnMut(u64, &[u32], u32) -> Result<()>,
) -> Result<()> {
    let err = io_err(path);
    let mut r = BufReader::with_capacity(1 << 20, File::open(path).map_err(&err)?);
    let mut rec = vec![0u8; layout.len()];
    let mut codes = vec![0u32; layout.nq];
    loop {
        match r.read_exact(&mut rec) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(err(e)),
        }
        let (row, s) = layout.read(&rec, &mut codes);
        f(row, &codes, s)?;
    }
}

/// Bucket files of released values, by row number.
struct Buckets {
    dir: PathBuf,
    rows: u64,
    nq: usize,
    writers: Vec<Option<BufWriter<File>>>,
}

impl Buckets {
    fn path(&self, b: usize) -> PathBuf {
        self.dir.join(format!("bucket-{b}"))
    }

    fn put(&mut self, row: u64, rel: &[Released]) -> Result<()> {
        let b = (row / self.rows) as usize;
        let path = self.path(b);
        let err = io_err(&path);
        if self.writers[b].is_none() {
            self.writers[b] = Some(BufWriter::new(File::create(&path).map_err(&err)?));
        }
        if let Some(w) = &mut self.writers[b] {
            w.write_all(&row.to_le_bytes()).map_err(&err)?;
            for &(a, c) in rel {
                w.write_all(&a.to_le_bytes()).map_err(&err)?;
                w.write_all(&c.to_le_bytes()).map_err(&err)?;
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        for b in 0..self.writers.len() {
            if let Some(mut w) = self.writers[b].take() {
                w.flush().map_err(io_err(&self.path(b)))?;
            }
        }
        Ok(())
    }

    /// Released values of rows `b·rows ..`, flattened (`2·nq` words per row).
    fn load(&self, b: usize, n: u64) -> Result<Vec<u32>> {
        let start = b as u64 * self.rows;
        let len = (n - start).min(self.rows) as usize;
        let w = 2 * self.nq;
        let mut out = vec![u32::MAX; len * w];
        let mut seen = vec![false; len];
        let path = self.path(b);
        let err = io_err(&path);
        let mut r = BufReader::with_capacity(1 << 20, File::open(&path).map_err(&err)?);
        let mut rec = vec![0u8; 8 + 4 * w];
        loop {
            match r.read_exact(&mut rec) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
                Err(e) => return Err(err(e)),
            }
            let mut rb = [0u8; 8];
            rb.copy_from_slice(&rec[..8]);
            let i = (u64::from_le_bytes(rb) - start) as usize;
            seen[i] = true;
            for (j, v) in out[i * w..(i + 1) * w].iter_mut().enumerate() {
                let o = 8 + 4 * j;
                *v = u32::from_le_bytes([rec[o], rec[o + 1], rec[o + 2], rec[o + 3]]);
            }
        }
        if let Some(i) = seen.iter().position(|s| !s) {
            return Err(AnonymizeError::Infeasible(format!(
                "internal error: row {} was not assigned to a partition",
                start + i as u64 + 1
            )));
        }
        Ok(out)
    }
}

/// Running totals over the partitions written.
struct Totals {
    before: BTreeMap<u32, usize>,
    after: BTreeMap<u32, usize>,
    loss_sum: f64,
    discernibility: f64,
    distinct_l: usize,
    entropy_l: f64,
    t: f64,
}

struct Run<'a> {
    dims: Dims<'a>,
    model: PrivacyModel,
    layout: Layout,
    /// Sensitive id → its id in value order (identity when unordered); None without one.
    sens_map: Option<Vec<u32>>,
    overall: Vec<f64>,
    ordered: bool,
    buckets: Buckets,
    totals: Totals,
}

impl Run<'_> {
    fn m(&self) -> Option<usize> {
        self.sens_map.as_ref().map(Vec::len)
    }

    fn counts(&self, path: &Path) -> Result<Counts> {
        let track = self.model.l.and(self.m());
        let mut c = Counts::new(&self.dims, track);
        each_record(path, &self.layout, |_, codes, s| {
            let s = self.sens_map.as_ref().map_or(0, |m| m[s as usize]);
            c.add(&self.dims, codes, s);
            Ok(())
        })?;
        Ok(c)
    }

    /// Adds one final partition to the totals.
    fn tally(&mut self, rel: &[Released], size: u32, sens: Option<&[u32]>) {
        let t = &mut self.totals;
        *t.after.entry(size).or_default() += 1;
        t.loss_sum += f64::from(size)
            * rel
                .iter()
                .enumerate()
                .map(|(q, &r)| self.dims.loss(q, r))
                .sum::<f64>();
        t.discernibility += f64::from(size) * f64::from(size);
        if let Some(c) = sens {
            t.distinct_l = t.distinct_l.min(distinct(c));
            t.entropy_l = t.entropy_l.min(entropy_l(c));
            t.t = t.t.max(emd(c, &self.overall, self.ordered));
        }
    }

    /// Writes one final partition held in memory: `rows[i]`, `codes[q][i]`,
    /// `sens[i]` over `members`.
    fn emit(
        &mut self,
        rows: &[u64],
        codes: &[Vec<u32>],
        sens: &[u32],
        members: &[usize],
    ) -> Result<()> {
        let nq = self.dims.len();
        let rel: Vec<Released> = (0..nq)
            .map(|q| self.dims.released(q, members.iter().map(|&i| codes[q][i])))
            .collect();
        for &i in members {
            self.buckets.put(rows[i], &rel)?;
        }
        // rows with equal values never cross a split, so the original classes nest in partitions
        let mut order = members.to_vec();
        let key = |i: usize| (0..nq).map(move |q| codes[q][i]);
        order.sort_unstable_by(|&x, &y| key(x).cmp(key(y)));
        let mut run = 0u32;
        for j in 0..order.len() {
            run += 1;
            if j + 1 == order.len() || key(order[j + 1]).ne(key(order[j])) {
                *self.totals.before.entry(run).or_default() += 1;
                run = 0;
            }
        }
        let counts = self.m().map(|m| {
            let mut c = vec![0u32; m];
            for &i in members {
                c[sens[i] as usize] += 1;
            }
            c
        });
        self.tally(&rel, members.len() as u32, counts.as_deref());
        Ok(())
    }

    /// Writes a partition too large for memory that cannot be split, streaming.
    fn whole(&mut self, path: &Path, counts: &Counts) -> Result<()> {
        let nq = self.dims.len();
        let rel: Vec<Released> = (0..nq)
            .map(|q| {
                let present = counts.count[q]
                    .iter()
                    .enumerate()
                    .filter(|&(_, &c)| c > 0)
                    .map(|(r, _)| self.dims.id_at[q][r]);
                self.dims.released(q, present)
            })
            .collect();
        let mut tuples: FxHashMap<Vec<u32>, u32> = FxHashMap::default();
        let mut sens = self.m().map(|m| vec![0u32; m]);
        let mut buckets = std::mem::replace(
            &mut self.buckets,
            Buckets {
                dir: PathBuf::new(),
                rows: 1,
                nq,
                writers: Vec::new(),
            },
        );
        let map = self.sens_map.as_deref();
        let done = each_record(path, &self.layout, |row, c, s| {
            buckets.put(row, &rel)?;
            *tuples.entry(c.to_vec()).or_default() += 1;
            if let (Some(t), Some(map)) = (&mut sens, map) {
                t[map[s as usize] as usize] += 1;
            }
            Ok(())
        });
        self.buckets = buckets;
        done?;
        for &size in tuples.values() {
            *self.totals.before.entry(size).or_default() += 1;
        }
        self.tally(&rel, counts.n as u32, sens.as_deref());
        Ok(())
    }

    /// Finishes a partition that fits in memory.
    fn block(&mut self, path: &Path, n: usize) -> Result<()> {
        let nq = self.dims.len();
        let mut rows = Vec::with_capacity(n);
        let mut codes: Vec<Vec<u32>> = (0..nq).map(|_| Vec::with_capacity(n)).collect();
        let mut sens = Vec::with_capacity(n);
        each_record(path, &self.layout, |row, c, s| {
            rows.push(row);
            for (q, &x) in c.iter().enumerate() {
                codes[q].push(x);
            }
            sens.push(self.sens_map.as_ref().map_or(0, |m| m[s as usize]));
            Ok(())
        })?;
        let track = self.model.l.and(self.m());
        let leaves = split_rows(
            &self.dims,
            &self.model,
            &codes,
            track.map(|m| (sens.as_slice(), m)),
            (0..rows.len()).collect(),
        );
        for leaf in &leaves {
            self.emit(&rows, &codes, &sens, leaf)?;
        }
        Ok(())
    }
}

/// Runs Mondrian on `input` and writes the generalised table (original
/// column names, `drop` columns left out, rows in input order) to `output`.
pub fn mondrian_file(
    cfg: &AnonymizeConfig,
    input: &Path,
    output: &Path,
    limits: SpillLimits,
) -> Result<MondrianRun> {
    let a = &cfg.anonymize;
    let model = crate::job::model(cfg);
    if model.t.is_some() {
        return Err(AnonymizeError::Infeasible(
            "Mondrian supports k and l; use the full-domain search for t-closeness".into(),
        ));
    }
    let nq = a.quasi_identifiers.len();
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir = tempfile::Builder::new()
        .prefix(".veil-mondrian-")
        .tempdir_in(&parent)
        .map_err(io_err(&parent))?;
    let layout = Layout { nq };

    // pass 1: encode the rows
    let root = dir.path().join("p");
    let mut dicts: Vec<Dict> = (0..nq).map(|_| Dict::default()).collect();
    let mut sdict = Dict::default();
    let mut n = 0u64;
    {
        let err = io_err(&root);
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&root).map_err(&err)?);
        let mut wanted = a.quasi_identifiers.clone();
        wanted.extend(a.sensitive.iter().cloned());
        let mut codes = vec![0u32; nq];
        for_each_chunk(input, &cfg.source, &wanted, &[], 65_536, |chunk| {
            for (r, &pos) in chunk.positions.iter().enumerate() {
                for (q, c) in codes.iter_mut().enumerate() {
                    *c = dicts[q].id(&chunk.cells[q][r], pos);
                }
                let s = match a.sensitive {
                    Some(_) => sdict.id(&chunk.cells[nq][r], pos),
                    None => 0,
                };
                layout.write(&mut w, n, &codes, s).map_err(&err)?;
                n += 1;
            }
            Ok::<(), AnonymizeError>(())
        })?;
        w.flush().map_err(&err)?;
    }
    if n < u64::from(model.k) {
        return Err(AnonymizeError::Infeasible(format!(
            "{}: k = {} is larger than the table ({n} rows)",
            input.display(),
            model.k
        )));
    }
    let hierarchies: Vec<Hierarchy> = a
        .quasi_identifiers
        .iter()
        .zip(&dicts)
        .map(|(q, d)| Hierarchy::build(q, &cfg.hierarchy[q], &d.values, &d.first, input))
        .collect::<Result<_>>()?;
    let numeric = crate::job::numeric_values(cfg, &hierarchies);
    let dims = Dims::new(&hierarchies, &numeric);
    let sens_map = a.sensitive.as_ref().map(|_| {
        if a.sensitive_ordered {
            value_order(&sdict.values)
        } else {
            (0..sdict.values.len() as u32).collect()
        }
    });
    // the sensitive distribution of the whole table
    let mut whole = vec![0u64; sdict.values.len()];
    if let Some(map) = &sens_map {
        each_record(&root, &layout, |_, _, s| {
            whole[map[s as usize] as usize] += 1;
            Ok(())
        })?;
    }
    if !meets(&model, n, model.l.map(|_| whole.as_slice())) {
        return Err(AnonymizeError::Infeasible(format!(
            "{}: the whole table ({n} rows) does not meet k = {}{}",
            input.display(),
            model.k,
            model.l.map_or(String::new(), |(_, l)| format!(", l = {l}"))
        )));
    }
    let bucket_rows = (limits.bucket_rows.max(1) as u64).max(n.div_ceil(1024));
    let mut run = Run {
        dims,
        model,
        layout,
        overall: whole.iter().map(|&c| c as f64 / n as f64).collect(),
        ordered: a.sensitive_ordered,
        sens_map,
        buckets: Buckets {
            dir: dir.path().to_path_buf(),
            rows: bucket_rows,
            nq,
            writers: (0..n.div_ceil(bucket_rows)).map(|_| None).collect(),
        },
        totals: Totals {
            before: BTreeMap::new(),
            after: BTreeMap::new(),
            loss_sum: 0.0,
            discernibility: 0.0,
            distinct_l: usize::MAX,
            entropy_l: f64::INFINITY,
            t: 0.0,
        },
    };

    // split: large partitions on counts, small ones in memory
    let mut spilled_splits = 0;
    let mut next_file = 0usize;
    let mut stack = vec![(root, n)];
    while let Some((path, len)) = stack.pop() {
        if len as usize <= limits.memory_rows.max(1) {
            run.block(&path, len as usize)?;
        } else {
            let counts = run.counts(&path)?;
            match split_counts(&run.dims, &run.model, &counts) {
                None => run.whole(&path, &counts)?,
                Some((q, cut)) => {
                    spilled_splits += 1;
                    let mut children = Vec::new();
                    for _ in 0..2 {
                        next_file += 1;
                        let p = dir.path().join(format!("p{next_file}"));
                        let f = File::create(&p).map_err(io_err(&p))?;
                        children.push((p, BufWriter::with_capacity(1 << 20, f), 0u64));
                    }
                    let layout = &run.layout;
                    let rank = &run.dims.rank[q];
                    each_record(&path, layout, |row, codes, s| {
                        let side = usize::from(rank[codes[q] as usize] >= cut);
                        let (p, w, c) = &mut children[side];
                        layout.write(w, row, codes, s).map_err(io_err(p))?;
                        *c += 1;
                        Ok(())
                    })?;
                    for (p, mut w, c) in children {
                        w.flush().map_err(io_err(&p))?;
                        stack.push((p, c));
                    }
                }
            }
        }
        std::fs::remove_file(&path).map_err(io_err(&path))?;
    }
    run.buckets.finish()?;

    // last pass: the output, in input order
    let all_names = column_names(input, &cfg.source)?;
    let names: Vec<String> = all_names
        .into_iter()
        .filter(|c| !a.drop.contains(c))
        .collect();
    let qi_index: Vec<Option<usize>> = names
        .iter()
        .map(|c| a.quasi_identifiers.iter().position(|q| q == c))
        .collect();
    let mut f = AtomicFile::create(output)?;
    let oerr = io_err(output);
    let mut row = 0u64;
    {
        let mut w = csv::Writer::from_writer(&mut f);
        w.write_record(&names).map_err(|e| oerr(e.into()))?;
        let mut bucket: Option<(usize, Vec<u32>)> = None;
        let mut cache: Vec<FxHashMap<Released, String>> = vec![FxHashMap::default(); nq];
        for_each_chunk(input, &cfg.source, &names, &[], 65_536, |chunk| {
            for r in 0..chunk.len() {
                if row >= n {
                    return Err(AnonymizeError::Infeasible(format!(
                        "{}: the file changed while it was read",
                        input.display()
                    )));
                }
                let b = (row / bucket_rows) as usize;
                if bucket.as_ref().is_none_or(|(cur, _)| *cur != b) {
                    bucket = Some((b, run.buckets.load(b, n)?));
                }
                let rel = bucket.as_ref().map_or(&[][..], |(_, v)| v.as_slice());
                let base = (row - b as u64 * bucket_rows) as usize * 2 * nq;
                let mine = |q: usize| (rel[base + 2 * q], rel[base + 2 * q + 1]);
                for (q, c) in cache.iter_mut().enumerate() {
                    if c.len() > 10_000 {
                        c.clear(); // bounded: labels repeat, but numeric ranges may not
                    }
                    c.entry(mine(q))
                        .or_insert_with(|| run.dims.label(q, mine(q)));
                }
                let rec: Vec<&str> = qi_index
                    .iter()
                    .enumerate()
                    .map(|(c, qi)| match qi {
                        Some(q) => cache[*q].get(&mine(*q)).map_or("", String::as_str),
                        None => chunk.cells[c][r].as_str(),
                    })
                    .collect();
                w.write_record(&rec).map_err(|e| oerr(e.into()))?;
                row += 1;
            }
            Ok::<(), AnonymizeError>(())
        })?;
        w.flush().map_err(&oerr)?;
    }
    if row != n {
        return Err(AnonymizeError::Infeasible(format!(
            "{}: the file changed while it was read",
            input.display()
        )));
    }
    f.flush().map_err(&oerr)?;
    f.commit()?;
    let t = run.totals;
    let column = a.sensitive.clone().unwrap_or_default();
    Ok(MondrianRun {
        rows: n,
        before: t.before,
        after: t.after,
        ncp: t.loss_sum / (n as f64 * nq.max(1) as f64),
        discernibility: t.discernibility,
        diversity: a.sensitive.as_ref().map(|_| Diversity {
            column,
            distinct_l: t.distinct_l,
            entropy_l: t.entropy_l,
            t: t.t,
            ordered: a.sensitive_ordered,
        }),
        spilled_splits,
    })
}
