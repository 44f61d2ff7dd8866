//! Where output goes: stdout, or a file written whole or not at all;
//! progress bars and messages on stderr, which never fail a command.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use super::{Failure, Result};

/// Prints `text` to stdout, or writes it to `output`.
pub fn emit(text: &str, output: Option<&Path>) -> Result {
    match output {
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).context("could not write to stdout")
        }
        Some(path) => {
            write_report(path, text.as_bytes()).with_context(|| format!("could not write report '{}'", path.display()))
        }
    }
    .map_err(Failure::run)
}

/// A line on stderr; a stderr that cannot be written (closed, a full
/// disk) loses the line and nothing else.
pub fn say(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

/// A progress bar of `len` steps on stderr, only when stderr is a terminal.
pub fn progress_bar(len: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    let template = format!("{{spinner}} {what} {{pos}}/{{len}} [{{bar:40}}] {{eta}}");
    bar.set_style(ProgressStyle::with_template(&template).expect("valid template").progress_chars("=> "));
    bar
}

/// Lines to stdout that stop quietly once the reader has gone.
pub struct Listing<W: Write> {
    out: W,
    closed: bool,
}

impl<W: Write> Listing<W> {
    /// Lines to `out`.
    pub fn new(out: W) -> Self {
        Listing { out, closed: false }
    }

    /// Writes one line, unless the reader has gone.
    pub fn line(&mut self, text: &str) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match writeln!(self.out, "{text}").and_then(|()| self.out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

/// Writes a report to `path`: into it when it is a device or a FIFO (a
/// rename would replace `/dev/null` with a file), atomically otherwise, at
/// what a symbolic link names (so the link stays a link). A directory, or
/// a path ending in `/` (which names one), is refused.
fn write_report(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let refused = |why| Err(std::io::Error::new(std::io::ErrorKind::IsADirectory, why));
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => refused("it is a directory; name a file"),
        Ok(m) if !m.is_file() => write_through(path, bytes),
        _ if path.as_os_str().to_string_lossy().ends_with('/') => {
            refused("it ends in '/', naming a directory; name a file")
        }
        _ => write_atomically(&resolve_links(path)?, bytes),
    }
}

/// Writes into an existing device or FIFO.
fn write_through(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new().write(true).open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// `path` with symbolic links followed to the path they name, which need
/// not exist yet.
fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&path)?;
                path = path.parent().map_or_else(|| target.clone(), |dir| dir.join(&target));
            }
            _ => return Ok(path),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Writes a temporary file beside `path`, then renames it into place, so a
/// reader never sees half a report; on failure neither is left behind.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// A file written beside its final name and renamed into place once
/// committed: a reader sees the whole file or none (or the old one). The
/// temporary is created anew (never through a file or link already
/// there), under a name no other process picks, and with the permissions
/// of the file it replaces; dropped uncommitted, it is removed.
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<std::fs::File>,
}

impl AtomicFile {
    /// A temporary file beside `path` (which need not exist).
    pub fn create(path: &Path) -> std::io::Result<Self> {
        let name = path.file_name().ok_or_else(|| std::io::Error::other("the output path names no file"))?;
        let tmp = path.with_file_name(format!(
            ".{}.{}.{:016x}.tmp",
            name.to_string_lossy(),
            std::process::id(),
            rand::random::<u64>()
        ));
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        if let Ok(meta) = std::fs::metadata(path) {
            file.set_permissions(meta.permissions())?;
        }
        Ok(AtomicFile { path: path.to_path_buf(), tmp, file: Some(file) })
    }

    /// Flushes the file to disk and renames it into place.
    pub fn commit(mut self) -> std::io::Result<()> {
        let file = self.file.take().expect("an uncommitted file");
        file.sync_all()?;
        drop(file);
        std::fs::rename(&self.tmp, &self.path)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.as_mut().expect("an uncommitted file").write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().expect("an uncommitted file").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Committed: the rename has moved it (a failed rename leaves it).
        let _ = std::fs::remove_file(&self.tmp);
    }
}
