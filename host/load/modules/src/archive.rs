//! Unpacking a downloaded archive into a directory, safely: every entry stays inside it
//! (no absolute paths, no `..`), links and devices are left out, and the files written
//! stop at the package size limit however small the archive was.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

use crate::address::Archive;

/// The most entries an archive may hold: more is not a module.
const MAX_ENTRIES: usize = 100_000;

/// Unpacks `bytes`, an archive of `kind`, into `dest` (which exists), writing at most
/// `max_size` bytes of files.
pub fn unpack(bytes: &[u8], kind: Archive, dest: &Path, max_size: u64) -> Result<(), String> {
    let mut budget = Budget {
        left: max_size,
        max_size,
        entries: 0,
    };
    match kind {
        Archive::TarGz => tar(flate2::read::GzDecoder::new(bytes), dest, &mut budget),
        Archive::Tar => tar(bytes, dest, &mut budget),
        Archive::Zip => zip(bytes, dest, &mut budget),
    }
}

struct Budget {
    left: u64,
    max_size: u64,
    entries: usize,
}

impl Budget {
    fn entry(&mut self) -> Result<(), String> {
        self.entries += 1;
        if self.entries > MAX_ENTRIES {
            return Err(format!("the archive has more than {MAX_ENTRIES} entries"));
        }
        Ok(())
    }

    /// Copies `from` into a new file at `to`, within what is left.
    fn write(&mut self, from: &mut dyn Read, to: &Path) -> Result<(), String> {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("cannot unpack: {e}"))?;
        }
        let mut file = fs::File::create(to).map_err(|e| format!("cannot unpack: {e}"))?;
        let written = io::copy(&mut from.take(self.left + 1), &mut file)
            .map_err(|e| format!("the archive is damaged: {e}"))?;
        if written > self.left {
            return Err(format!(
                "the package unpacks to more than {} bytes (--max-module-size)",
                self.max_size
            ));
        }
        self.left -= written;
        file.flush().map_err(|e| format!("cannot unpack: {e}"))
    }
}

/// `name` as a path inside `dest`, if it stays inside.
fn inside(dest: &Path, name: &Path) -> Option<PathBuf> {
    let mut path = dest.to_path_buf();
    let mut depth = 0;
    for component in name.components() {
        match component {
            Component::Normal(part) => {
                path.push(part);
                depth += 1;
            }
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (depth > 0).then_some(path)
}

fn tar(reader: impl Read, dest: &Path, budget: &mut Budget) -> Result<(), String> {
    let mut archive = tar::Archive::new(reader);
    let entries = archive
        .entries()
        .map_err(|e| format!("the archive is damaged: {e}"))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("the archive is damaged: {e}"))?;
        budget.entry()?;
        let name = entry
            .path()
            .map_err(|e| format!("the archive is damaged: {e}"))?
            .into_owned();
        let Some(path) = inside(dest, &name) else {
            if name.components().all(|c| matches!(c, Component::CurDir)) {
                continue;
            }
            return Err(format!(
                "the archive entry `{}` would be written outside the package",
                name.display()
            ));
        };
        match entry.header().entry_type() {
            tar::EntryType::Directory => {
                fs::create_dir_all(&path).map_err(|e| format!("cannot unpack: {e}"))?;
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                budget.write(&mut entry, &path)?;
            }
            // Links could point anywhere on this machine, and global headers, devices and
            // FIFOs are no part of a module.
            _ => {}
        }
    }
    Ok(())
}

fn zip(bytes: &[u8], dest: &Path, budget: &mut Budget) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(io::Cursor::new(bytes))
        .map_err(|e| format!("the archive is damaged: {e}"))?;
    for index in 0..archive.len() {
        budget.entry()?;
        let mut file = archive
            .by_index(index)
            .map_err(|e| format!("the archive is damaged: {e}"))?;
        let name = file.name().unwrap_or_default().into_owned();
        let Some(path) = file
            .enclosed_name()
            .and_then(|enclosed| inside(dest, &enclosed))
        else {
            return Err(format!(
                "the archive entry `{}` would be written outside the package",
                name
            ));
        };
        if file.is_dir() {
            fs::create_dir_all(&path).map_err(|e| format!("cannot unpack: {e}"))?;
        } else if file.is_file() {
            budget.write(&mut file, &path)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tar_gz(entries: &[(&str, &[u8])], link: Option<(&str, &str)>) -> Vec<u8> {
        let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut builder = tar::Builder::new(encoder);
        for (name, data) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            // Written raw, so that hostile names reach the reader as they are.
            header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
            header.set_cksum();
            builder.append(&header, *data).unwrap();
        }
        if let Some((name, target)) = link {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(tar::EntryType::Symlink);
            header.set_size(0);
            builder.append_link(&mut header, name, target).unwrap();
        }
        builder.into_inner().unwrap().finish().unwrap()
    }

    #[test]
    fn unpacks_files_and_leaves_links_out() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = tar_gz(
            &[("pkg/main.tf", b"resource \"a\" \"b\" {}\n")],
            Some(("pkg/secret.tf", "/etc/passwd")),
        );
        unpack(&bytes, Archive::TarGz, dir.path(), 1 << 20).unwrap();
        assert!(dir.path().join("pkg/main.tf").is_file());
        assert!(!dir.path().join("pkg/secret.tf").exists());
    }

    #[test]
    fn entries_outside_the_package_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = tar_gz(&[("../escape.tf", b"x")], None);
        let error = unpack(&bytes, Archive::TarGz, dir.path(), 1 << 20).unwrap_err();
        assert!(error.contains("outside the package"), "{error}");
        assert!(!dir.path().parent().unwrap().join("escape.tf").exists());
    }

    #[test]
    fn a_bomb_stops_at_the_size_limit() {
        let dir = tempfile::tempdir().unwrap();
        let zeros = vec![0u8; 4 << 20];
        let bytes = tar_gz(&[("pkg/big.tf", &zeros)], None);
        assert!(bytes.len() < 64 << 10);
        let error = unpack(&bytes, Archive::TarGz, dir.path(), 1 << 20).unwrap_err();
        assert!(error.contains("--max-module-size"), "{error}");
    }

    #[test]
    fn zip_archives_unpack_too() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        writer
            .start_file("m/main.tf", zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(b"# module\n").unwrap();
        let bytes = writer.finish().unwrap().into_inner();
        unpack(&bytes, Archive::Zip, dir.path(), 1 << 20).unwrap();
        assert_eq!(
            fs::read(dir.path().join("m/main.tf")).unwrap(),
            b"# module\n"
        );
    }
}
