//! Reading a file's bytes and text, with the checks every format shares: a regular file
//! only (a FIFO, a device or a socket could block the run or never end), a size limit
//! (checked before reading, so a huge file costs nothing) and UTF-8 validity (reported at
//! the first invalid byte).

use std::io::Read;
use std::path::Path;

use palisade_model::{LoadError, Position};

/// Why a file's bytes could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Larger than the limit; `prefix` holds its first bytes for sniffing.
    TooLarge {
        size: u64,
        limit: u64,
        prefix: Vec<u8>,
    },
    /// Not a regular file: what it is instead (`a FIFO`, `a directory`, ...).
    NotRegular(&'static str),
    Io(std::io::Error),
}

/// How many bytes of an oversized file are read to tell whether it is a template at all.
const SNIFF_PREFIX: u64 = 64 * 1024;

/// Reads `path` whole if it is a regular file of at most `limit` bytes.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    // Checked before opening, and opened without blocking: opening a FIFO (even one
    // swapped in after the check) would wait until someone writes to it.
    regular(&std::fs::metadata(path).map_err(ReadError::Io)?)?;
    let file = open_without_blocking(path).map_err(ReadError::Io)?;
    let metadata = file.metadata().map_err(ReadError::Io)?;
    regular(&metadata)?;
    let size = metadata.len();
    let mut bytes = Vec::new();
    if size > limit {
        file.take(SNIFF_PREFIX)
            .read_to_end(&mut bytes)
            .map_err(ReadError::Io)?;
        return Err(ReadError::TooLarge {
            size,
            limit,
            prefix: bytes,
        });
    }
    // Sized up front: growing by doubling would copy a large file twice over.
    bytes.reserve_exact(usize::try_from(size).unwrap_or_default().saturating_add(1));
    // `take` guards against a file that grows while it is read.
    let read = file
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if read as u64 > limit {
        return Err(ReadError::TooLarge {
            size: read as u64,
            limit,
            prefix: bytes[..bytes.len().min(SNIFF_PREFIX as usize)].to_vec(),
        });
    }
    Ok(bytes)
}

/// Opens `path` for reading; on Unix without waiting for a writer if it is a FIFO (for a
/// regular file the flag changes nothing).
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// `Ok` for a regular file, else what the file is.
fn regular(metadata: &std::fs::Metadata) -> Result<(), ReadError> {
    match file_kind(&metadata.file_type()) {
        None => Ok(()),
        Some(kind) => Err(ReadError::NotRegular(kind)),
    }
}

/// What a file that is not a regular file is, in words; `None` for a regular file.
pub fn file_kind(file_type: &std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("a device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// [`read_bytes`] for callers that report I/O errors: the refusals become errors whose
/// message says what the file is or which limit it went over.
pub fn read_regular(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    read_bytes(path, limit).map_err(|error| match error {
        ReadError::Io(error) => error,
        ReadError::TooLarge { size, limit, .. } => std::io::Error::other(format!(
            "the file is {size} bytes, over the limit of {limit} bytes (--max-file-size)"
        )),
        ReadError::NotRegular(kind) => std::io::Error::other(format!("{kind}, not a regular file")),
    })
}

impl ReadError {
    /// The error to report for `path`.
    pub fn into_load_error(self, path: &Path) -> LoadError {
        match self {
            ReadError::TooLarge { size, limit, .. } => LoadError::whole_file(
                path,
                format!("file is {size} bytes, over the limit of {limit} bytes (--max-file-size)"),
            ),
            ReadError::NotRegular(kind) => {
                LoadError::whole_file(path, format!("cannot read: {kind}, not a regular file"))
            }
            ReadError::Io(error) => LoadError::whole_file(path, format!("cannot read: {error}")),
        }
    }
}

/// Decodes `bytes` as UTF-8, dropping a leading byte-order mark (editors do not count it
/// as a column either).
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, LoadError> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(text)
        }
        Err(error) => {
            let valid_up_to = error.utf8_error().valid_up_to();
            let bytes = error.as_bytes();
            // The prefix is valid by definition, so this never falls back.
            let valid = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
            Err(LoadError {
                file: path.to_path_buf(),
                position: Position::from_offset(valid, valid_up_to),
                message: format!(
                    "file is not valid UTF-8 (byte 0x{:02x})",
                    bytes.get(valid_up_to).copied().unwrap_or_default()
                ),
            })
        }
    }
}

/// Whether `needle` occurs in `haystack`; used to sniff formats before parsing.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// Reads a file that is known to be a template: any problem is an error.
pub fn read_text(path: &Path, limit: u64) -> Result<String, LoadError> {
    let bytes = read_bytes(path, limit).map_err(|error| error.into_load_error(path))?;
    decode(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_reported_at_the_first_bad_byte() {
        let bytes = b"a = 1\nb = \"\xc3\xa9\xff\"\n".to_vec();
        let error = decode(Path::new("x.tf"), bytes).unwrap_err();
        assert_eq!(error.position, Position::new(2, 7));
        assert_eq!(error.message, "file is not valid UTF-8 (byte 0xff)");
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let text = decode(Path::new("x.json"), b"\xef\xbb\xbf{}".to_vec()).unwrap();
        assert_eq!(text, "{}");
    }

    #[test]
    fn an_oversized_file_is_not_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.tf");
        std::fs::write(&path, vec![b' '; 200_000]).unwrap();
        let Err(ReadError::TooLarge {
            size,
            limit,
            prefix,
        }) = read_bytes(&path, 1000)
        else {
            panic!("expected TooLarge");
        };
        assert_eq!(
            (size, limit, prefix.len()),
            (200_000, 1000, SNIFF_PREFIX as usize)
        );
        let error = read_text(&path, 1000).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{}:1:1: file is 200000 bytes, over the limit of 1000 bytes (--max-file-size)",
                path.display()
            )
        );
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_read_and_nothing_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.yaml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let refused = |path: &Path| read_text(path, 1000).unwrap_err().message;
        assert_eq!(
            refused(&fifo),
            "cannot read: a FIFO (named pipe), not a regular file"
        );
        assert_eq!(
            refused(Path::new("/dev/zero")),
            "cannot read: a device, not a regular file"
        );
        assert_eq!(
            refused(dir.path()),
            "cannot read: a directory, not a regular file"
        );
        let link = dir.path().join("zero.json");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert_eq!(refused(&link), "cannot read: a device, not a regular file");
    }
}
