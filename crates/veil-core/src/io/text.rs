//! Plain text: whole files, or one document per line, with UTF-8 checked
//! and invalid bytes reported by their offset in the file.

use crate::{Error, Result};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Decode `bytes` as UTF-8. With `lossy`, invalid sequences become U+FFFD;
/// without, the error names `path` and the absolute byte offset
/// (`base_offset` + position in `bytes`).
pub fn decode(bytes: Vec<u8>, path: &Path, base_offset: u64, lossy: bool) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            if lossy {
                Ok(String::from_utf8_lossy(e.as_bytes()).into_owned())
            } else {
                Err(Error::InvalidUtf8 {
                    path: path.to_path_buf(),
                    offset: base_offset + e.utf8_error().valid_up_to() as u64,
                })
            }
        }
    }
}

/// Read a whole file as one document.
pub fn read_document(path: &Path, lossy: bool) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    decode(bytes, path, 0, lossy)
}

/// One line of a text input.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line number.
    pub number: u64,
    /// Byte offset of the line's first byte in the input.
    pub offset: u64,
    /// The line without its terminator (`\n` or `\r\n`).
    pub text: String,
}

/// Streams the lines of a reader, one document per line. Memory is bounded
/// by the longest line.
pub struct LineReader<R> {
    reader: R,
    path: PathBuf,
    lossy: bool,
    number: u64,
    offset: u64,
    buf: Vec<u8>,
}

impl<R: BufRead> LineReader<R> {
    /// Wrap `reader`; `path` names the input in errors (`-` for stdin).
    pub fn new(reader: R, path: &Path, lossy: bool) -> Self {
        LineReader {
            reader,
            path: path.to_path_buf(),
            lossy,
            number: 0,
            offset: 0,
            buf: Vec::new(),
        }
    }
}

impl<R: BufRead> LineReader<R> {
    /// Read the next line's bytes, terminator included, into `buf` (as
    /// `BufRead::read_until` does, the newline found with `memchr`);
    /// `Ok(false)` at the end of the input.
    fn fill_line(&mut self) -> std::io::Result<bool> {
        self.buf.clear();
        loop {
            let avail = match self.reader.fill_buf() {
                Ok(avail) => avail,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok(!self.buf.is_empty());
            }
            match memchr::memchr(b'\n', avail) {
                Some(i) => {
                    self.buf.extend_from_slice(&avail[..=i]);
                    self.reader.consume(i + 1);
                    return Ok(true);
                }
                None => {
                    let n = avail.len();
                    self.buf.extend_from_slice(avail);
                    self.reader.consume(n);
                }
            }
        }
    }

    /// The next line, borrowed from the reader's buffer when it is valid
    /// UTF-8 (no copy: what [`JsonlReader`](crate::io::jsonl::JsonlReader)
    /// reads, taking only the fields it needs), with its number and offset.
    /// Errors and `--lossy` decoding as the [`Iterator`] gives them.
    pub fn next_text(&mut self) -> Option<Result<(u64, u64, std::borrow::Cow<'_, str>)>> {
        match self.fill_line() {
            Ok(false) => return None,
            Ok(true) => {}
            Err(e) => {
                return Some(Err(Error::Io {
                    path: self.path.clone(),
                    source: e,
                }));
            }
        }
        self.number += 1;
        let offset = self.offset;
        self.offset += self.buf.len() as u64;
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
            if self.buf.last() == Some(&b'\r') {
                self.buf.pop();
            }
        }
        let text = match std::str::from_utf8(&self.buf) {
            Ok(s) => Ok(std::borrow::Cow::Borrowed(s)),
            Err(_) => decode(self.buf.clone(), &self.path, offset, self.lossy)
                .map(std::borrow::Cow::Owned),
        };
        Some(text.map(|t| (self.number, offset, t)))
    }
}

impl<R: BufRead> Iterator for LineReader<R> {
    type Item = Result<Line>;

    fn next(&mut self) -> Option<Self::Item> {
        let line = self.next_text()?;
        Some(line.map(|(number, offset, text)| Line {
            number,
            offset,
            text: text.into_owned(),
        }))
    }
}

/// Whole lines of an input, a block of them at a time: the input is read
/// `size` bytes at a time, and a block is every whole line read so far
/// (one line longer than `size` is read to its end), so that a block ends
/// at a newline or at the end of the input and no line is split between
/// two blocks. The bytes are read straight into the block (no line-by-line
/// copy) and not checked: whoever splits a block ([`block_lines`]) checks
/// its lines' UTF-8 — on another thread than the one reading, in a scan.
/// Memory is bounded by the block size plus the longest line.
pub struct LineBlocks<R> {
    reader: R,
    path: PathBuf,
    size: usize,
    /// The start of the next block's first line, read with this block.
    carry: Vec<u8>,
    /// Lines in the blocks given so far.
    lines: u64,
    /// Bytes in the blocks given so far.
    offset: u64,
    done: bool,
    /// A read error met after whole lines, given after their block.
    pending: Option<std::io::Error>,
}

/// A block of whole lines ([`LineBlocks`]).
#[derive(Debug, Clone, PartialEq)]
pub struct LineBlock {
    /// The lines, terminators included (the last one's may be missing).
    pub bytes: Vec<u8>,
    /// The 1-based number of its first line in the input.
    pub first_line: u64,
    /// The byte offset of its first byte in the input.
    pub offset: u64,
    /// How many lines it holds (what [`block_lines`] gives).
    pub lines: usize,
}

impl<R: std::io::Read> LineBlocks<R> {
    /// Blocks of about `size` bytes (at least 1) of `reader`; `path` names
    /// the input in errors (`-` for stdin).
    pub fn new(reader: R, path: &Path, size: usize) -> Self {
        LineBlocks {
            reader,
            path: path.to_path_buf(),
            size: size.max(1),
            carry: Vec::new(),
            lines: 0,
            offset: 0,
            done: false,
            pending: None,
        }
    }

    /// Read bytes onto `buf`: up to `want` of them; `Ok(true)` when the
    /// input ended first.
    fn read_onto(&mut self, buf: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
        use std::io::Read;
        buf.reserve(want);
        let mut got = 0;
        while got < want {
            match (&mut self.reader)
                .take((want - got) as u64)
                .read_to_end(buf)
            {
                Ok(0) => return Ok(true),
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(false)
    }

    /// Number `bytes` as the next block.
    fn block(&mut self, bytes: Vec<u8>) -> LineBlock {
        let lines = block_lines(&bytes).count();
        let block = LineBlock {
            first_line: self.lines + 1,
            offset: self.offset,
            lines,
            bytes,
        };
        self.lines += lines as u64;
        self.offset += block.bytes.len() as u64;
        block
    }
}

impl<R: std::io::Read> Iterator for LineBlocks<R> {
    type Item = Result<LineBlock>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(source) = self.pending.take() {
            self.done = true;
            return Some(Err(Error::Io {
                path: self.path.clone(),
                source,
            }));
        }
        if self.done {
            return None;
        }
        let mut buf = std::mem::take(&mut self.carry);
        // Bytes of `buf` known to hold no newline (a line longer than a block).
        let mut searched = 0;
        loop {
            // To the block's size; past it, a block's size more at a time.
            let want = match self.size.checked_sub(buf.len()) {
                Some(short) if short > 0 => short,
                _ => self.size,
            };
            let ended = match self.read_onto(&mut buf, want) {
                Ok(ended) => ended,
                Err(e) => {
                    // The whole lines read before the error (a truncated
                    // compressed file's) come first, the error after them.
                    if let Some(i) = memchr::memrchr(b'\n', &buf) {
                        buf.truncate(i + 1);
                        self.pending = Some(e);
                        return Some(Ok(self.block(buf)));
                    }
                    self.done = true;
                    return Some(Err(Error::Io {
                        path: self.path.clone(),
                        source: e,
                    }));
                }
            };
            if ended {
                self.done = true;
                return (!buf.is_empty()).then(|| Ok(self.block(buf)));
            }
            if buf.len() >= self.size {
                if let Some(i) = memchr::memrchr(b'\n', &buf[searched..]) {
                    let cut = searched + i + 1;
                    let mut carry = Vec::with_capacity(self.size.max(buf.len() - cut));
                    carry.extend_from_slice(&buf[cut..]);
                    self.carry = carry;
                    buf.truncate(cut);
                    return Some(Ok(self.block(buf)));
                }
                searched = buf.len();
            }
        }
    }
}

/// The lines of a block of text as [`LineReader`] reads them — split at
/// each `\n`, a `\r` before it dropped, no empty line after a last
/// newline — each with the offset of its first byte in the block.
pub fn block_lines(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut start = 0;
    std::iter::from_fn(move || {
        let rest = &bytes[start..];
        if rest.is_empty() {
            return None;
        }
        let (line, used) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        let at = start;
        start += used;
        Some((
            at,
            match line {
                [head @ .., b'\r'] if used > line.len() => head,
                _ => line,
            },
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Lines, numbers and offsets are those of splitting the bytes at
        /// each newline (a `\r` before it dropped, no empty last line),
        /// however small the reader's buffer.
        #[test]
        fn lines_split_at_newlines_across_buffer_refills(
            data in "(a|é|\r|\n|\r\n| ){0,40}",
            capacity in 1usize..8,
        ) {
            let reader = std::io::BufReader::with_capacity(capacity, data.as_bytes());
            let got: Vec<(u64, u64, String)> = LineReader::new(reader, Path::new("f"), false)
                .map(|l| l.map(|l| (l.number, l.offset, l.text)))
                .collect::<Result<_>>()
                .map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let mut want = Vec::new();
            let mut offset = 0u64;
            let mut rest = data.as_str();
            while !rest.is_empty() {
                let (line, used) = match rest.find('\n') {
                    Some(i) => (&rest[..i], i + 1),
                    None => (rest, rest.len()),
                };
                let line = line.strip_suffix('\r').filter(|_| used > line.len()).unwrap_or(line);
                want.push((want.len() as u64 + 1, offset, line.to_string()));
                offset += used as u64;
                rest = &rest[used..];
            }
            proptest::prop_assert_eq!(got, want);
        }
        /// Blocks end at newlines (or the end of the input), are never
        /// empty, and their lines, numbers and offsets are those
        /// `LineReader` reads, whatever the block size.
        #[test]
        fn blocks_hold_whole_lines_numbered_as_the_line_reader_numbers_them(
            data in proptest::collection::vec(proptest::sample::select(vec![b'a', b'\n', b'\r', 0xff, b' ']), 0..60),
            size in 1usize..12,
        ) {
            let blocks: Vec<LineBlock> = LineBlocks::new(data.as_slice(), Path::new("f"), size)
                .collect::<Result<_>>()
                .map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let mut got = Vec::new();
            let mut at = 0u64;
            for (k, b) in blocks.iter().enumerate() {
                proptest::prop_assert_eq!(b.offset, at);
                let last = k + 1 == blocks.len();
                proptest::prop_assert!(last || b.bytes.ends_with(b"\n"));
                proptest::prop_assert!(!b.bytes.is_empty());
                for (i, (start, line)) in block_lines(&b.bytes).enumerate() {
                    got.push((b.first_line + i as u64, b.offset + start as u64, line.to_vec()));
                }
                at += b.bytes.len() as u64;
            }
            proptest::prop_assert_eq!(at, data.len() as u64);
            let mut reader = LineReader::new(data.as_slice(), Path::new("f"), true);
            let mut want = Vec::new();
            while let Some(line) = reader.next_text() {
                let (number, offset, _) = line.map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
                want.push((number, offset, reader.buf.clone()));
            }
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn lines_and_invalid_utf8_offset() {
        let data: &[u8] = b"one\r\ntw\xffo\nthree";
        let lines: Vec<_> = LineReader::new(data, Path::new("f.txt"), false).collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].as_ref().unwrap().text, "one");
        match &lines[1] {
            Err(Error::InvalidUtf8 { offset, .. }) => assert_eq!(*offset, 7),
            other => panic!("expected invalid utf8, got {other:?}"),
        }
        let l3 = lines[2].as_ref().unwrap();
        assert_eq!((l3.number, l3.offset, l3.text.as_str()), (3, 10, "three"));
        let lossy: Vec<_> = LineReader::new(data, Path::new("f.txt"), true).collect();
        assert_eq!(lossy[1].as_ref().unwrap().text, "tw\u{fffd}o");
    }
}

/// A window of a (possibly huge) whole-file document.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Byte offset of the segment's first byte in the file.
    pub offset: u64,
    /// Number of newlines in the file before this segment.
    pub lines_before: u64,
    /// The segment's text.
    pub text: String,
    /// Findings starting at or after this byte (relative to the segment) are
    /// left to the next segment, which re-reads these bytes; `None` for the
    /// last segment and for segments cut at a newline.
    pub keep_before: Option<usize>,
}

/// Bytes re-read across a cut inside a long line, so that a match that
/// straddles the cut is seen whole by the next segment.
pub const SEGMENT_OVERLAP: usize = 64 * 1024;

/// Splits one document into segments of about `target` bytes, cutting at
/// newlines where possible and, inside a longer line, at a char boundary
/// with [`SEGMENT_OVERLAP`] bytes re-read. Memory is bounded by `target`
/// plus the overlap whatever the line lengths.
pub struct SegmentReader<R> {
    reader: R,
    path: PathBuf,
    lossy: bool,
    target: usize,
    buf: Vec<u8>,
    offset: u64,
    lines_before: u64,
    eof: bool,
}

impl<R: std::io::Read> SegmentReader<R> {
    /// Segment `reader` into pieces of about `target` bytes (at least twice the overlap).
    pub fn new(reader: R, path: &Path, lossy: bool, target: usize) -> Self {
        SegmentReader {
            reader,
            path: path.to_path_buf(),
            lossy,
            target: target.max(2 * SEGMENT_OVERLAP),
            buf: Vec::new(),
            offset: 0,
            lines_before: 0,
            eof: false,
        }
    }

    /// Read until the buffer holds more than `target` bytes or the input
    /// ends, straight into the buffer's spare capacity (no zeroed scratch
    /// buffer per call: with many small files that was most of the reading cost).
    fn fill(&mut self) -> std::io::Result<()> {
        use std::io::Read;
        while !self.eof && self.buf.len() <= self.target {
            let want = (self.target + 1 - self.buf.len()).max(1 << 16) as u64;
            match (&mut self.reader).take(want).read_to_end(&mut self.buf) {
                Ok(0) => self.eof = true,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

impl<R: std::io::Read> Iterator for SegmentReader<R> {
    type Item = Result<Segment>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Err(e) = self.fill() {
            return Some(Err(Error::Io {
                path: self.path.clone(),
                source: e,
            }));
        }
        if self.buf.is_empty() {
            return None;
        }
        let (emit, next_start, keep_before) = if self.eof && self.buf.len() <= self.target {
            (self.buf.len(), self.buf.len(), None)
        } else if let Some(nl) = self.buf[..self.target.min(self.buf.len())]
            .iter()
            .rposition(|&b| b == b'\n')
        {
            (nl + 1, nl + 1, None)
        } else {
            let mut cut = self.target.min(self.buf.len());
            let mut back = 0;
            while cut > 0 && cut < self.buf.len() && back < 3 && (self.buf[cut] as i8) < -0x40 {
                cut -= 1;
                back += 1;
            }
            let mut next = cut - SEGMENT_OVERLAP;
            let mut back = 0;
            while next > 0 && back < 3 && (self.buf[next] as i8) < -0x40 {
                next -= 1;
                back += 1;
            }
            (cut, next, Some(next))
        };
        let bytes = self.buf[..emit].to_vec();
        let seg_offset = self.offset;
        let lines_before = self.lines_before;
        self.lines_before += self.buf[..next_start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.buf.drain(..next_start);
        self.offset += next_start as u64;
        Some(
            decode(bytes, &self.path, seg_offset, self.lossy).map(|text| Segment {
                offset: seg_offset,
                lines_before,
                text,
                keep_before,
            }),
        )
    }
}

#[cfg(test)]
mod segment_tests {
    use super::*;

    #[test]
    fn segments_cover_the_document_once() {
        let mut doc = String::new();
        for i in 0..40_000 {
            doc.push_str(&format!("line {i} with some text\n"));
        }
        let long_line = "x".repeat(400_000);
        doc.push_str(&long_line);
        let segs: Vec<Segment> = SegmentReader::new(doc.as_bytes(), Path::new("d"), false, 200_000)
            .map(|s| s.unwrap())
            .collect();
        assert!(segs.len() > 3);
        // Reassemble from the kept parts.
        let mut rebuilt = String::new();
        for s in &segs {
            assert_eq!(s.offset as usize, rebuilt.len());
            assert_eq!(
                s.lines_before as usize,
                doc[..s.offset as usize].matches('\n').count()
            );
            rebuilt.push_str(&s.text[..s.keep_before.unwrap_or(s.text.len())]);
        }
        assert_eq!(rebuilt, doc);
    }

    proptest::proptest! {
        #[test]
        fn segments_reassemble_any_text(lines in proptest::collection::vec("[a-zé€ ]{0,300}", 0..200), long in 0usize..300_000, k in 0usize..3) {
            let mut doc = lines.join("\n");
            doc.push_str(&"é".repeat(long / 2));
            // Targets on and off the 64 KiB read size.
            let target = [2 * SEGMENT_OVERLAP, 2 * SEGMENT_OVERLAP + 1, 3 * SEGMENT_OVERLAP - 7][k];
            let mut rebuilt = String::new();
            for s in SegmentReader::new(doc.as_bytes(), Path::new("d"), false, target) {
                let s = s.unwrap();
                proptest::prop_assert_eq!(s.offset as usize, rebuilt.len());
                rebuilt.push_str(&s.text[..s.keep_before.unwrap_or(s.text.len())]);
            }
            proptest::prop_assert_eq!(rebuilt, doc);
        }
    }
}

#[cfg(test)]
mod block_tests {
    use super::*;

    use crate::io::FailingAfter;

    #[test]
    fn a_read_error_comes_after_the_whole_lines_before_it_names_the_input_and_ends_the_blocks() {
        // A partial last line ("c", cut by the error) is not given as a line.
        let mut blocks = LineBlocks::new(FailingAfter(b"a\nb\nc"), Path::new("in.jsonl"), 1 << 20);
        match blocks.next() {
            Some(Ok(block)) => {
                assert_eq!(block.bytes, b"a\nb\n");
                assert_eq!((block.first_line, block.lines), (1, 2));
            }
            other => panic!("expected the whole lines, got {other:?}"),
        }
        match blocks.next() {
            Some(Err(Error::Io { path, .. })) => assert_eq!(path, Path::new("in.jsonl")),
            other => panic!("expected an I/O error, got {other:?}"),
        }
        assert!(blocks.next().is_none());
        // No whole line before it: the error first.
        let mut blocks = LineBlocks::new(FailingAfter(b"abc"), Path::new("in.jsonl"), 1 << 20);
        assert!(matches!(blocks.next(), Some(Err(Error::Io { .. }))));
        assert!(blocks.next().is_none());
    }

    #[test]
    fn a_line_longer_than_a_block_is_one_block() {
        let data = format!("{}\n{}\n", "x".repeat(300_000), "y".repeat(5000));
        let blocks: Vec<LineBlock> = LineBlocks::new(data.as_bytes(), Path::new("f"), 1000)
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].bytes.len(), 300_001);
        assert_eq!((blocks[1].first_line, blocks[1].offset), (2, 300_001));
        assert_eq!(block_lines(&blocks[1].bytes).count(), 1);
        assert_eq!(blocks[1].bytes.len(), 5001);
    }

    #[test]
    fn an_empty_input_has_no_block() {
        assert!(
            LineBlocks::new(&b""[..], Path::new("f"), 8)
                .next()
                .is_none()
        );
    }
}
