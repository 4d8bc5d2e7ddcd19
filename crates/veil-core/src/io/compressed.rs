//! Compressed files: a file named `….gz` or `….zst` is read through its
//! decoder, as the file it holds (`emails.csv.gz` is a CSV table,
//! `chats.jsonl.zst` JSON Lines, `app.log.gz` text; offsets and lines of
//! findings are those of the decompressed content), and an output so
//! named is written compressed ([`create`]).

use crate::io::atomic::AtomicFile;
use crate::{Error, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

/// A compression format Veil reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// gzip (`.gz`, `.gzip`); several concatenated members read as one stream.
    Gzip,
    /// Zstandard (`.zst`, `.zstd`); several concatenated frames read as one stream.
    Zstd,
}

/// The codec a path's last extension names (case-insensitive), if any.
pub fn codec_of(path: &Path) -> Option<Codec> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "gz" | "gzip" => Some(Codec::Gzip),
        "zst" | "zstd" => Some(Codec::Zstd),
        _ => None,
    }
}

/// `path` without the extension of its codec (`a/emails.csv.gz` →
/// `a/emails.csv`): the name of the file it holds. Other paths as given.
pub fn inner_path(path: &Path) -> PathBuf {
    match codec_of(path) {
        Some(_) => path.with_extension(""),
        None => path.to_path_buf(),
    }
}

/// The bytes of `path`, decompressed when [`codec_of`] names a codec. A
/// read error of the decoder (corrupt or truncated data) is an I/O error
/// of the kind `InvalidData` or `UnexpectedEof` whose message names the
/// codec; callers add the file.
pub fn open(path: &Path) -> Result<Box<dyn Read + Send>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    Ok(match codec_of(path) {
        None => Box::new(file),
        Some(Codec::Gzip) => Box::new(Named {
            inner: flate2::read::MultiGzDecoder::new(std::io::BufReader::new(file)),
            codec: "gzip",
        }),
        Some(Codec::Zstd) => Box::new(Named {
            inner: zstd::stream::read::Decoder::new(file).map_err(io)?,
            codec: "zstd",
        }),
    })
}

/// `reader` (a stream with no name to go by, such as standard input)
/// through the decoder its first bytes call for — gzip's `1f 8b`,
/// zstd's `28 b5 2f fd` — or as it is. `name` is what errors call it.
pub fn sniffed<'r>(
    mut reader: Box<dyn std::io::BufRead + 'r>,
    name: &Path,
) -> Result<Box<dyn std::io::BufRead + 'r>> {
    let head = reader.fill_buf().map_err(|source| Error::Io {
        path: name.to_path_buf(),
        source,
    })?;
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(std::io::BufReader::new(Named {
            inner: flate2::bufread::MultiGzDecoder::new(reader),
            codec: "gzip",
        }))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        let decoder =
            zstd::stream::read::Decoder::with_buffer(reader).map_err(|source| Error::Io {
                path: name.to_path_buf(),
                source,
            })?;
        Box::new(std::io::BufReader::new(Named {
            inner: decoder,
            codec: "zstd",
        }))
    } else {
        reader
    })
}

/// An output file written atomically ([`AtomicFile`]) and compressed as
/// its name says: `….gz` gzip, `….zst` zstd, anything else as written.
/// Dropped without [`Output::commit`], nothing replaces the destination.
pub struct Output {
    path: PathBuf,
    sink: Sink,
}

/// Where an [`Output`]'s bytes go.
enum Sink {
    Plain(AtomicFile),
    Gzip(flate2::write::GzEncoder<AtomicFile>),
    Zstd(zstd::stream::write::Encoder<'static, AtomicFile>),
}

/// Start writing `path`, compressed by [`codec_of`] its name.
pub fn create(path: &Path) -> Result<Output> {
    let file = AtomicFile::create(path)?;
    let sink = match codec_of(path) {
        None => Sink::Plain(file),
        Some(Codec::Gzip) => Sink::Gzip(flate2::write::GzEncoder::new(
            file,
            flate2::Compression::default(),
        )),
        Some(Codec::Zstd) => Sink::Zstd(
            zstd::stream::write::Encoder::new(file, zstd::DEFAULT_COMPRESSION_LEVEL).map_err(
                |source| Error::Io {
                    path: path.to_path_buf(),
                    source,
                },
            )?,
        ),
    };
    Ok(Output {
        path: path.to_path_buf(),
        sink,
    })
}

impl From<AtomicFile> for Output {
    /// `file` written as it is, whatever its name (a Parquet file, which
    /// compresses its own pages).
    fn from(file: AtomicFile) -> Output {
        Output {
            path: PathBuf::new(),
            sink: Sink::Plain(file),
        }
    }
}

impl Output {
    /// End the compressed stream, then [`AtomicFile::commit`].
    pub fn commit(self) -> Result<()> {
        let io = |source| Error::Io {
            path: self.path.clone(),
            source,
        };
        match self.sink {
            Sink::Plain(f) => f.commit(),
            Sink::Gzip(e) => e.finish().map_err(io)?.commit(),
            Sink::Zstd(e) => e.finish().map_err(io)?.commit(),
        }
    }
}

impl std::io::Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.sink {
            Sink::Plain(f) => f.write(buf),
            Sink::Gzip(e) => e.write(buf),
            Sink::Zstd(e) => e.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.sink {
            Sink::Plain(f) => f.flush(),
            Sink::Gzip(e) => e.flush(),
            Sink::Zstd(e) => e.flush(),
        }
    }
}

/// A decoder whose read errors say which codec failed ("gzip data: corrupt
/// deflate stream"), so that the message a user reads explains itself.
struct Named<R> {
    inner: R,
    codec: &'static str,
}

impl<R: Read> Read for Named<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            let kind = match e.kind() {
                std::io::ErrorKind::UnexpectedEof => std::io::ErrorKind::UnexpectedEof,
                _ => std::io::ErrorKind::InvalidData,
            };
            std::io::Error::new(kind, format!("{} data: {e}", self.codec))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn the_codec_and_inner_name_come_from_the_last_extension() {
        assert_eq!(codec_of(Path::new("a/emails.csv.gz")), Some(Codec::Gzip));
        assert_eq!(codec_of(Path::new("chats.jsonl.ZST")), Some(Codec::Zstd));
        assert_eq!(codec_of(Path::new("notes.txt")), None);
        assert_eq!(codec_of(Path::new("gz")), None);
        assert_eq!(
            inner_path(Path::new("a/emails.csv.gz")),
            Path::new("a/emails.csv")
        );
        assert_eq!(inner_path(Path::new("a/b.csv")), Path::new("a/b.csv"));
    }

    #[test]
    fn concatenated_members_and_frames_read_as_one_stream() {
        let dir = tempfile::tempdir().unwrap();
        let gz = dir.path().join("a.log.gz");
        let mut both = gzip(b"first line\n");
        both.extend(gzip(b"second line\n"));
        std::fs::write(&gz, both).unwrap();
        let mut text = String::new();
        open(&gz).unwrap().read_to_string(&mut text).unwrap();
        assert_eq!(text, "first line\nsecond line\n");

        let zst = dir.path().join("a.log.zst");
        let mut frames = zstd::encode_all(&b"one\n"[..], 3).unwrap();
        frames.extend(zstd::encode_all(&b"two\n"[..], 3).unwrap());
        std::fs::write(&zst, frames).unwrap();
        let mut text = String::new();
        open(&zst).unwrap().read_to_string(&mut text).unwrap();
        assert_eq!(text, "one\ntwo\n");
    }

    #[test]
    fn outputs_are_compressed_as_named_and_read_back() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        for name in ["out.jsonl.gz", "out.jsonl.zst", "out.jsonl"] {
            let path = dir.path().join(name);
            let mut out = create(&path).unwrap();
            out.write_all(b"{\"text\": \"<PERSON>\"}\n").unwrap();
            // Nothing is in place before the commit.
            assert!(!path.exists(), "{name}");
            out.commit().unwrap();
            let raw = std::fs::read(&path).unwrap();
            let magic: &[u8] = match codec_of(&path) {
                Some(Codec::Gzip) => &[0x1f, 0x8b],
                Some(Codec::Zstd) => &[0x28, 0xb5, 0x2f, 0xfd],
                None => b"{",
            };
            assert!(raw.starts_with(magic), "{name}");
            let mut text = String::new();
            open(&path).unwrap().read_to_string(&mut text).unwrap();
            assert_eq!(text, "{\"text\": \"<PERSON>\"}\n", "{name}");
        }
    }

    #[test]
    fn a_stream_is_decoded_as_its_first_bytes_say() {
        let text = "call 212-555-0199\n";
        let zst = zstd::encode_all(text.as_bytes(), 3).unwrap();
        for bytes in [gzip(text.as_bytes()), zst, text.as_bytes().to_vec()] {
            let stream: Box<dyn std::io::BufRead> = Box::new(std::io::Cursor::new(bytes));
            let mut got = String::new();
            sniffed(stream, Path::new("-"))
                .unwrap()
                .read_to_string(&mut got)
                .unwrap();
            assert_eq!(got, text);
        }
    }

    #[test]
    fn truncated_or_corrupt_data_is_an_error_naming_the_codec() {
        let dir = tempfile::tempdir().unwrap();
        let whole = gzip("call 212-555-0199 ".repeat(2000).as_bytes());
        let gz = dir.path().join("cut.txt.gz");
        std::fs::write(&gz, &whole[..whole.len() / 2]).unwrap();
        let err = open(&gz).unwrap().read_to_end(&mut Vec::new()).unwrap_err();
        assert!(err.to_string().starts_with("gzip data:"), "{err}");

        let zst = dir.path().join("bad.txt.zst");
        std::fs::write(&zst, b"this is not zstd at all").unwrap();
        let err = open(&zst)
            .unwrap()
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
        assert!(err.to_string().starts_with("zstd data:"), "{err}");
    }
}
