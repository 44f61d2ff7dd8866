//! What every document's formats share: aligned text tables and the
//! report's common lines ([`text`]), Markdown tables ([`markdown`]), the
//! self-contained HTML page ([`html`]) and its SVG charts ([`svg`]), CSV
//! cells ([`csv`]), versioned JSON documents ([`json`]).

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod svg;
pub mod text;
