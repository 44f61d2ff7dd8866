//! What a team costs, as compiled: its price basis and its overtime.
//! `cost` turns them into cost lines; this module only holds them.

/// A team's price basis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Price {
    /// Unpriced.
    None,
    /// Per paid hour.
    PerHour(f64),
    /// Per handled contact.
    PerContact(f64),
    /// Per FTE (in-house: per head on payroll) per month.
    PerFteMonth(f64),
}

impl Price {
    /// The amount, whatever its basis.
    pub fn amount(self) -> f64 {
        match self {
            Price::None => 0.0,
            Price::PerHour(x) | Price::PerContact(x) | Price::PerFteMonth(x) => x,
        }
    }

    /// The basis in words.
    pub fn basis(self) -> &'static str {
        match self {
            Price::None => "unpriced",
            Price::PerHour(_) => "per hour",
            Price::PerContact(_) => "per contact",
            Price::PerFteMonth(_) => "per FTE-month",
        }
    }

    /// Whether it is priced at all.
    pub fn is_priced(self) -> bool {
        self != Price::None
    }
}

/// A share of a team's paid hours worked as overtime, at a premium
/// (`[[team]].overtime`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PaidOvertime {
    /// Overtime hours / paid hours, in [0, 1].
    pub share: f64,
    /// Pay of an overtime hour / pay of a normal hour, from 1 to 10.
    pub premium: f64,
}

/// ISO 4217 codes of the currencies in use (and the precious metals, SDR
/// and testing codes excluded): what `[scenario].currency` may be.
pub const ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
    "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC",
    "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS",
    "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD",
    "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL",
    "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD",
    "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
    "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP",
    "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES",
    "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
];
