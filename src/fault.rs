//! Whose fault a failure is: what the user gave (exit 2) or the run itself
//! (exit 1). Every error type of the library says which through
//! [`Blame`]; the binary maps that to an exit code in one place.

/// Whose fault a failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The input: a file, a flag or a value the user gave (exit 2).
    Input,
    /// The run: the machine or the work failed on valid input (exit 1).
    Run,
}

/// An error that knows whose fault it is.
pub trait Blame: std::error::Error + Send + Sync + 'static {
    /// Whose fault this error is.
    fn fault(&self) -> Fault;
}

/// Implements [`Blame`] for error types that are always one party's fault.
macro_rules! blame {
    ($fault:ident: $($error:ty),+ $(,)?) => {
        $(impl $crate::fault::Blame for $error {
            fn fault(&self) -> $crate::fault::Fault {
                $crate::fault::Fault::$fault
            }
        })+
    };
}
pub(crate) use blame;
