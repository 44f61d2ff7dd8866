//! The commands, one file each, and what they share: the flags
//! ([`args`]), reading a scenario with its what-ifs ([`scenario`]), where
//! output goes ([`output`]), and [`Failure`], which carries whose fault a
//! failure is to the exit code.

pub mod args;
pub mod output;
pub mod scenario;

pub mod check;
pub mod compare;
pub mod completions;
pub mod erlang;
pub mod fit;
pub mod man;
pub mod merge;
pub mod plan;
pub mod run;
pub mod schedule;
pub mod staff;
pub mod sweep;
pub mod validate;

use std::fmt::Display;
use std::process::ExitCode;

use wfmsim::fault::{Blame, Fault};

/// Why a command failed: whose fault it is, which sets the exit code, and
/// what to say.
#[derive(Debug)]
pub struct Failure {
    fault: Fault,
    error: anyhow::Error,
}

/// What a command returns.
pub type Result<T = ()> = std::result::Result<T, Failure>;

impl Failure {
    /// A failure of what the user gave (exit 2).
    pub fn input(error: impl Into<anyhow::Error>) -> Self {
        Failure { fault: Fault::Input, error: error.into() }
    }

    /// A failure of the run on valid input (exit 1).
    pub fn run(error: impl Into<anyhow::Error>) -> Self {
        Failure { fault: Fault::Run, error: error.into() }
    }

    /// A failure of what the user gave, said in these words (exit 2).
    pub fn bad_input(message: impl Display) -> Self {
        Failure::input(anyhow::anyhow!("{message}"))
    }

    /// The same failure, its message placed: `PLACE: message`.
    pub fn at(self, place: impl Display) -> Self {
        Failure { fault: self.fault, error: self.error.context(place.to_string()) }
    }

    /// What to say: the message with every place it was given.
    pub fn message(&self) -> String {
        format!("{:#}", self.error)
    }

    /// Says what failed on stderr (nothing when stdout's reader has gone:
    /// exit 0) and gives the exit code: 2 for the input, 1 for the run.
    pub fn report(self) -> ExitCode {
        let closed_pipe = self
            .error
            .chain()
            .any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe));
        match self.fault {
            _ if closed_pipe => ExitCode::SUCCESS,
            Fault::Input => {
                output::say(&self.message());
                ExitCode::from(2)
            }
            Fault::Run => {
                output::say(&format!("error: {:#}", self.error));
                ExitCode::from(1)
            }
        }
    }
}

impl<E: Blame> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure { fault: error.fault(), error: anyhow::Error::new(error) }
    }
}
