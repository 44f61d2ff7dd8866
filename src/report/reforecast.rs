//! An intraday reforecast (each queue's [`Reforecast`]) as an aligned
//! table: how busy today is so far and the day's updated total.

use crate::forecast::reforecast::Reforecast;
use crate::report::forecast::num;
use crate::report::kit::text::{plain, TextTable};

/// The reforecasts as a table, with a line on how to read it.
pub fn table(reforecasts: &[Reforecast]) -> String {
    let mut t = TextTable::default();
    t.header(&[
        "queue",
        "date",
        "intervals seen",
        "actual so far",
        "forecast so far",
        "ratio",
        "weight",
        "factor",
        "day total",
        "low",
        "high",
    ]);
    for r in reforecasts {
        t.row(vec![
            plain(&r.queue),
            r.date.to_string(),
            r.seen.to_string(),
            num(r.actual_so_far, 1),
            num(r.forecast_so_far, 1),
            r.ratio.map_or_else(|| "-".to_string(), |x| num(x, 3)),
            num(r.weight, 3),
            num(r.factor, 3),
            num(r.total, 1),
            num(r.low, 1),
            num(r.high, 1),
        ]);
    }
    let mut out = String::from(
        "Reforecast of today from its actuals so far: factor = 1 + weight x (ratio - 1), laid on the rest of the day\n",
    );
    t.render("  ", &mut out);
    out
}
