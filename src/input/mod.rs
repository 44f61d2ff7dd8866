//! The input wing: a scenario as written ([`written`]: the serde types of
//! every section, `[plan]` included), its compilation into the model and
//! the plan ([`compile()`], in [`mod@compile`]), and the what-ifs laid on it ([`whatif`]). A
//! command reads a scenario once ([`Source`]: its text and SHA-256) and
//! compiles it once per list of what-ifs; every flag that changes the
//! scenario (`--set`, the scale flags, a sweep's axes) is one [`WhatIf`]
//! of that list. "Where does a new key go?": its serde field in
//! `written`, its check and compilation in `compile`, its compiled form in
//! `crate::model`.

pub mod agents;
pub mod compile;
mod parse;
pub mod whatif;
pub mod written;

pub use compile::{compile, Compiled};
pub use whatif::{Base, LoadError, WhatIf, WhatIfError};

/// A scenario file as read: its name (as messages give it), its text and
/// the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The file as the user named it.
    pub name: String,
    /// Its text.
    pub text: String,
    /// SHA-256 of the text's bytes, lowercase hex.
    pub sha256: String,
}

impl Source {
    /// The scenario `name` with this `text`.
    pub fn new(name: impl Into<String>, text: String) -> Self {
        use sha2::Digest;
        let sha256 = sha2::Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        Source { name: name.into(), text, sha256 }
    }

    /// The scenario compiled with `what_ifs` applied in order: the file's
    /// own problems with their places, then the what-ifs' naming them.
    pub fn compile(&self, what_ifs: &[WhatIf]) -> Result<Compiled, LoadError> {
        whatif::load(&self.text, &self.name, what_ifs)
    }
}
