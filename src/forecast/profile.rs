//! The intraday profile: per weekday, each slot's share of the day, from
//! the recent complete normal days of that weekday (their counts summed
//! per slot, so busier days weigh more, as Poisson counts should), lightly
//! smoothed across neighbouring slots of fine intervals, normalised to sum
//! to 1. A day's nominal total, where some of its slots are missing, is
//! what was observed divided by the observed slots' share.

use std::sync::Arc;

use super::days::History;

/// A day's total is estimated only when its observed slots hold at least
/// this share of the profile.
pub const MIN_COVERAGE: f64 = 0.5;

/// Fewest days of a weekday behind its own profile; with fewer, the
/// weekday takes the profile of every weekday pooled.
const MIN_DAYS: usize = 2;

/// How far back a profile looks for its days, weeks.
const MOST_WEEKS_BACK: usize = 52;

/// Smoothing applies to intervals of at most this many minutes.
const SMOOTH_UP_TO_MINUTES: u32 = 15;

/// Shares of the day per slot, one profile per weekday (Monday first).
#[derive(Debug, Clone)]
pub(crate) struct Profiles {
    /// Each weekday's shares, summing to 1 (or all 0 with no volume seen).
    pub weekday: [Arc<[f64]>; 7],
}

impl Profiles {
    /// Profiles from the last `weeks` complete normal days of each weekday
    /// before day `end` of `h`.
    pub fn estimate(h: &History, end: usize, weeks: usize) -> Profiles {
        let slots = h.slots;
        let mut sums = vec![vec![0.0; slots]; 7];
        let mut found = [0usize; 7];
        let earliest = end.saturating_sub(MOST_WEEKS_BACK * 7);
        for d in (earliest..end).rev() {
            let w = h.days[d].weekday;
            if found[w] >= weeks || h.special[d] {
                continue;
            }
            let values = h.nominal(d);
            if values.iter().all(Option::is_some) {
                for (s, v) in sums[w].iter_mut().zip(values) {
                    *s += v.unwrap_or(0.0);
                }
                found[w] += 1;
            }
            if found.iter().all(|f| *f >= weeks) {
                break;
            }
        }
        let pooled: Vec<f64> = (0..slots).map(|k| sums.iter().map(|s| s[k]).sum()).collect();
        let smooth = h.series.interval_minutes <= SMOOTH_UP_TO_MINUTES;
        let pooled_shares = shares(&pooled, smooth);
        let weekday = std::array::from_fn(|w| {
            let own = if found[w] >= MIN_DAYS { shares(&sums[w], smooth) } else { None };
            let chosen = own.or_else(|| pooled_shares.clone()).unwrap_or_else(|| vec![1.0 / slots as f64; slots]);
            Arc::from(chosen)
        });
        Profiles { weekday }
    }

    /// Day `d`'s nominal total: its observed slots' sum over their share of
    /// its weekday's profile; `None` when they hold less than
    /// [`MIN_COVERAGE`] of it.
    pub fn day_total(&self, h: &History, d: usize) -> Option<f64> {
        let shares = &self.weekday[h.days[d].weekday];
        let (mut sum, mut covered, mut all) = (0.0, 0.0, true);
        for (v, s) in h.nominal(d).iter().zip(shares.iter()) {
            match v {
                Some(v) => {
                    sum += v;
                    covered += s;
                }
                None => all = false,
            }
        }
        if all {
            Some(sum)
        } else if covered >= MIN_COVERAGE {
            Some(sum / covered)
        } else {
            None
        }
    }
}

/// `sums` smoothed (with `smooth`) and normalised; `None` when all zero.
/// Smoothing weighs a slot 2 and each neighbour 1 (around midnight too)
/// where all three saw contacts, so opening and closing edges stay sharp.
fn shares(sums: &[f64], smooth: bool) -> Option<Vec<f64>> {
    let n = sums.len();
    let mut out = sums.to_vec();
    if smooth && n >= 3 {
        for k in 0..n {
            let (a, b, c) = (sums[(k + n - 1) % n], sums[k], sums[(k + 1) % n]);
            if a > 0.0 && b > 0.0 && c > 0.0 {
                out[k] = (a + 2.0 * b + c) / 4.0;
            }
        }
    }
    let total: f64 = out.iter().sum();
    (total > 0.0).then(|| out.iter().map(|x| x / total).collect())
}

#[cfg(test)]
mod tests {
    use super::shares;

    #[test]
    fn smoothing_keeps_closed_slots_closed_and_sums_to_one() {
        let s = shares(&[0.0, 0.0, 10.0, 30.0, 10.0, 0.0], true).unwrap();
        assert_eq!(s[0], 0.0);
        assert_eq!(s[5], 0.0);
        assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // The edge slots keep their own counts; the middle one is smoothed
        // to (10 + 2 × 30 + 10) / 4 = 20.
        assert_eq!(s[2], 10.0 / 40.0);
        assert_eq!(s[3], 20.0 / 40.0);
        assert!(shares(&[0.0; 4], true).is_none());
    }
}
