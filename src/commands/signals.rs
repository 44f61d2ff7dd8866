//! Temporary files removed when the process is interrupted: a report's
//! temporary (see [`super::output::AtomicFile`]) is registered while it
//! lives; on SIGINT or SIGTERM a handler unlinks every one registered,
//! restores the signal's default action and raises it again, so the
//! process still ends by that signal (a shell sees Ctrl-C as Ctrl-C).
//!
//! The handler does only what a signal handler may (atomic swaps,
//! `unlink`, `signal`, `raise`). A signal ignored when wfmsim started (as
//! `nohup` and background jobs leave SIGINT) stays ignored.

use std::ffi::{c_char, c_int, CString};
use std::path::Path;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Once;

/// How many temporaries can be registered at once; one past it is only
/// removed by its owner (as before this registry).
const SLOTS: usize = 64;

/// The paths of the live temporaries, as C strings owned by the registry
/// (null where free). Whoever swaps a path out owns it: the owner when it
/// unregisters, or the handler, which never frees it.
static LIVE: [AtomicPtr<c_char>; SLOTS] = [const { AtomicPtr::new(null_mut()) }; SLOTS];

/// A temporary's place in the registry, released when dropped.
pub struct Registered(Option<usize>);

/// Registers `path` (a temporary file) to be removed if SIGINT or SIGTERM
/// ends the process before the returned guard is dropped.
pub fn register(path: &Path) -> Registered {
    use std::os::unix::ffi::OsStrExt;
    install();
    let Ok(c) = CString::new(path.as_os_str().as_bytes()) else { return Registered(None) };
    let raw = c.into_raw();
    for (i, slot) in LIVE.iter().enumerate() {
        if slot.compare_exchange(null_mut(), raw, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
            return Registered(Some(i));
        }
    }
    // SAFETY: `raw` came from `CString::into_raw` above and was not stored.
    drop(unsafe { CString::from_raw(raw) });
    Registered(None)
}

impl Drop for Registered {
    fn drop(&mut self) {
        if let Some(i) = self.0 {
            let raw = LIVE[i].swap(null_mut(), Ordering::SeqCst);
            if !raw.is_null() {
                // SAFETY: the registry held it, from `CString::into_raw`, and
                // the swap made this the only owner.
                drop(unsafe { CString::from_raw(raw) });
            }
        }
    }
}

/// Installs the handler for SIGINT and SIGTERM once, leaving a signal
/// that is ignored ignored.
fn install() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        for signal in [libc::SIGINT, libc::SIGTERM] {
            // SAFETY: `on_signal` is async-signal-safe; sigaction structs
            // are zeroed then filled as POSIX describes.
            unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(signal, std::ptr::null(), &mut old) != 0 || old.sa_sigaction == libc::SIG_IGN {
                    continue;
                }
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_signal as extern "C" fn(c_int) as libc::sighandler_t;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(signal, &action, null_mut());
            }
        }
    });
}

/// Removes every registered temporary, then ends the process by `signal`.
extern "C" fn on_signal(signal: c_int) {
    for slot in &LIVE {
        let raw = slot.swap(null_mut(), Ordering::SeqCst);
        if !raw.is_null() {
            // SAFETY: a NUL-terminated path the registry owned; unlink is
            // async-signal-safe. The string is not freed (the process ends).
            unsafe { libc::unlink(raw) };
        }
    }
    // SAFETY: both are async-signal-safe.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run by [`a_temporary_is_removed_when_sigterm_ends_the_process`] in a
    /// child process of the test binary: creates a temporary, then
    /// raises SIGTERM with it still live.
    #[test]
    fn child_raising_sigterm_with_a_live_temporary() {
        let Ok(dir) = std::env::var("WFMSIM_SIGNAL_TEST_DIR") else { return };
        let mut file = super::super::output::AtomicFile::create(&Path::new(&dir).join("report.json")).unwrap();
        std::io::Write::write_all(&mut file, b"half a report").unwrap();
        // SAFETY: raising a signal in this (child) process.
        unsafe { libc::raise(libc::SIGTERM) };
        unreachable!("SIGTERM ends the process");
    }

    #[test]
    fn a_temporary_is_removed_when_sigterm_ends_the_process() {
        use std::os::unix::process::ExitStatusExt;
        let dir = std::env::temp_dir().join(format!("wfmsim-signals-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "commands::signals::tests::child_raising_sigterm_with_a_live_temporary", "--nocapture"])
            .env("WFMSIM_SIGNAL_TEST_DIR", &dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(status.signal(), Some(libc::SIGTERM), "{status:?}");
        assert!(left.is_empty(), "left behind: {left:?}");
    }
}
