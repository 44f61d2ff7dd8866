//! Forecasting from history: the chosen model against the seasonal-naive
//! baseline, recovery of a known structure, the forecast error as
//! `[uncertainty]` (a simulator round trip), interval coverage, the
//! intraday reforecast, DST days, the scenario fragment and the reports.
//!
//! Histories are synthetic, drawn with fixed-seed ChaCha8 from a known
//! truth: daily volume = base × trend × yearly wave × weekday factor, a
//! gamma day factor (mean 1, CV `volume_cv`), spread by an intraday
//! profile by local clock time, an optional gamma factor per interval,
//! and Poisson counts. The generator steps real time and reads each
//! interval's local clock with jiff itself, independently of the
//! library's day grid.

use std::sync::OnceLock;

use jiff::civil::{date, Date};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, Poisson};
use wfmsim::engine::simulate;
use wfmsim::forecast::arrivals::{arrivals, monthly, render_plan_toml, render_toml, ArrivalsOptions, ProfileMode};
use wfmsim::forecast::outlook::FactorSource;
use wfmsim::forecast::reforecast::reforecast;
use wfmsim::forecast::uncertainty::QueueUncertainty;
use wfmsim::forecast::{
    backtest, forecast, uncertainty, BacktestConfig, Calendar, ForecastConfig, Method, QueueBacktest, Series,
    UncertaintyEstimate,
};
use wfmsim::report;

/// A known truth to draw histories from.
#[derive(Clone)]
struct Truth {
    zone: &'static str,
    start: Date,
    days: usize,
    minutes: u32,
    /// Daily volume of an average weekday at the start.
    base: f64,
    /// Growth per year (0.1: +10%).
    growth: f64,
    /// Amplitude of the yearly wave (0.15: ±15%), peaking mid-January.
    yearly: f64,
    /// Weekday factors, Monday first (mean 1).
    weekday: [f64; 7],
    /// CV of the day factor.
    volume_cv: f64,
    /// CV of the interval factor.
    intraday_cv: f64,
    /// Dates with a volume factor of their own.
    special: Vec<(Date, f64)>,
    /// The shape's level at night (0: closed).
    night: f64,
    seed: u64,
}

const WEEKDAY: [f64; 7] = [1.25, 1.12, 1.06, 1.04, 0.98, 0.85, 0.70];

/// The day's shape by local clock minute: two humps (10:30 and 15:00), a
/// tail to midnight, and `night` (0: closed) from 00:00 to 06:00.
fn shape(minute: f64, night: f64) -> f64 {
    if minute < 360.0 {
        return night;
    }
    let hump = |c: f64, w: f64| (-((minute - c) / w).powi(2) / 2.0).exp();
    hump(630.0, 90.0) + 0.8 * hump(900.0, 120.0) + 0.1
}

impl Truth {
    fn new(days: usize) -> Self {
        Truth {
            zone: "Europe/Berlin",
            start: date(2024, 1, 1),
            days,
            minutes: 15,
            base: 2000.0,
            growth: 0.0,
            yearly: 0.0,
            weekday: WEEKDAY,
            volume_cv: 0.0,
            intraday_cv: 0.0,
            special: Vec::new(),
            night: 0.0,
            seed: 1,
        }
    }

    /// The expected nominal volume of `d` (special factors aside).
    fn volume(&self, d: Date) -> f64 {
        let t = self.start.until(d).unwrap().get_days() as f64;
        let doy = d.day_of_year() as f64;
        let wave = 1.0 + self.yearly * (2.0 * std::f64::consts::PI * (doy - 15.0) / 365.25).cos();
        self.base
            * (1.0 + self.growth).powf(t / 365.0)
            * wave
            * self.weekday[d.weekday().to_monday_zero_offset() as usize]
    }

    /// The expected share of each interval of a day by its local clock.
    fn shares(&self) -> Vec<f64> {
        let at = |m: u32| shape(m as f64 + 0.5, self.night);
        let total: f64 = (0..1440).map(at).sum();
        (0..1440 / self.minutes)
            .map(|k| (k * self.minutes..(k + 1) * self.minutes).map(at).sum::<f64>() / total)
            .collect()
    }

    fn special_factor(&self, d: Date) -> f64 {
        self.special.iter().find(|s| s.0 == d).map_or(1.0, |s| s.1)
    }

    fn tz(&self) -> TimeZone {
        TimeZone::get(self.zone).unwrap()
    }

    /// The history, queue `name`, with day factors from `day_factor` when
    /// given (else drawn).
    fn series_with(&self, name: &str, day_factor: Option<&dyn Fn(Date) -> f64>) -> Series {
        let tz = self.tz();
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let start = self.start.to_zoned(tz.clone()).unwrap().timestamp();
        let end =
            self.start.checked_add(jiff::Span::new().days(self.days as i64)).unwrap().to_zoned(tz.clone()).unwrap();
        let step = self.minutes as i64 * 60;
        let n = ((end.timestamp().as_second() - start.as_second()) / step) as usize;
        let gamma = |cv: f64| Gamma::new(1.0 / (cv * cv), cv * cv).unwrap();
        let mut offered = Vec::with_capacity(n);
        let shares = self.shares();
        let mut day: Option<(Date, f64)> = None;
        for i in 0..n {
            let t = Timestamp::from_second(start.as_second() + i as i64 * step).unwrap().to_zoned(tz.clone());
            let d = t.date();
            if day.is_none_or(|(x, _)| x != d) {
                let f = match day_factor {
                    Some(f) => f(d),
                    None if self.volume_cv > 0.0 => gamma(self.volume_cv).sample(&mut rng),
                    None => 1.0,
                };
                day = Some((d, self.volume(d) * f * self.special_factor(d)));
            }
            let minute = t.hour() as u32 * 60 + t.minute() as u32;
            let intraday = if self.intraday_cv > 0.0 { gamma(self.intraday_cv).sample(&mut rng) } else { 1.0 };
            let mu = day.unwrap().1 * shares[(minute / self.minutes) as usize] * intraday;
            let count = if mu > 0.0 { Poisson::new(mu).unwrap().sample(&mut rng) } else { 0.0 };
            offered.push(Some(count));
        }
        Series { queue: name.to_string(), zone: tz, interval_minutes: self.minutes, start, offered }
    }

    fn series(&self, name: &str) -> Series {
        self.series_with(name, None)
    }
}

/// The 2-year history with trend, weekly and yearly seasonality and
/// Poisson-gamma noise, and its default backtest (52 weekly origins, 14
/// days ahead), shared by the tests that read it.
fn seasonal() -> &'static (Truth, Series, QueueBacktest) {
    static CELL: OnceLock<(Truth, Series, QueueBacktest)> = OnceLock::new();
    CELL.get_or_init(|| {
        let truth = Truth { growth: 0.1, yearly: 0.15, volume_cv: 0.08, intraday_cv: 0.05, ..Truth::new(730) };
        let series = truth.series("support");
        let b = backtest(&series, &Calendar::new(), &BacktestConfig::default()).unwrap();
        (truth, series, b)
    })
}

#[test]
fn smoothing_beats_seasonal_naive_by_rolling_origin_wape() {
    let (_, _, b) = seasonal();
    assert_eq!(b.origins.len(), 52);
    assert_eq!(b.chosen, Method::Smoothing);
    let model = b.accuracy(Method::Smoothing).unwrap();
    let naive = b.accuracy(Method::SeasonalNaive).unwrap();
    let (md, nd) = (model.overall.days.wape().unwrap(), naive.overall.days.wape().unwrap());
    let (mi, ni) = (model.overall.intervals.wape().unwrap(), naive.overall.intervals.wape().unwrap());
    // The noise floor of a day is a CV of about 8.2% (gamma 8%, Poisson
    // 2%): a WAPE near 6.5%; the baseline differences two noisy days.
    assert!(md < 0.85 * nd, "daily WAPE {md:.4} vs baseline {nd:.4}");
    assert!(mi < 0.85 * ni, "interval WAPE {mi:.4} vs baseline {ni:.4}");
    assert!(md < 0.08, "daily WAPE {md:.4} near the noise floor");
    for (h, (m, n)) in model.by_horizon.iter().zip(&naive.by_horizon).enumerate() {
        let (m, n) = (m.intervals.wape().unwrap(), n.intervals.wape().unwrap());
        assert!(m < n, "horizon {}: interval WAPE {m:.4} vs baseline {n:.4}", h + 1);
    }
    // Every record carries the baseline beside the chosen forecast.
    assert_eq!(b.days.len(), 52 * 14);
    assert!(b.days.iter().all(|d| d.baseline > 0.0 && d.low <= d.forecast && d.forecast <= d.high));
}

#[test]
fn the_80_percent_interval_covers_about_80_percent_of_held_out_actuals() {
    let (_, _, b) = seasonal();
    let a = b.accuracy(b.chosen).unwrap();
    let days = a.overall.days.coverage().unwrap();
    let intervals = a.overall.intervals.coverage().unwrap();
    // 728 days: a binomial standard error of 1.5 points. Counts are
    // discrete, so an interval of a count covers a little more than its
    // level.
    assert!((0.72..=0.88).contains(&days), "daily coverage {days:.3}");
    assert!((0.75..=0.90).contains(&intervals), "interval coverage {intervals:.3}");
}

/// A year of Poisson history (no day factor) with growth and the known
/// weekday factors, six Mondays cut to 30% and marked in the calendar.
fn clean_year() -> (Truth, Calendar) {
    let holidays: Vec<Date> =
        (0..6).map(|k| date(2024, 2, 5).checked_add(jiff::Span::new().weeks(7 * k)).unwrap()).collect();
    let truth = Truth { growth: 0.2, special: holidays.iter().map(|d| (*d, 0.3)).collect(), ..Truth::new(364) };
    let mut calendar = Calendar::new();
    for d in &holidays {
        calendar.insert(*d, "Bank holiday", None).unwrap();
    }
    (truth, calendar)
}

#[test]
fn a_clean_future_comes_back_and_special_days_do_not_bias_the_weekdays() {
    let (truth, mut calendar) = clean_year();
    let s = truth.series("support");
    // A future bank holiday with no factor learns it from the past ones.
    calendar.insert(date(2024, 12, 30), "Bank holiday", None).unwrap();
    let f = forecast(&s, &calendar, Method::Smoothing, &ForecastConfig::default()).unwrap();
    assert_eq!(f.origin, date(2024, 12, 30));
    for d in f.days.iter().filter(|d| d.special.is_none()) {
        let expected = truth.volume(d.date);
        assert!((d.volume / expected - 1.0).abs() < 0.03, "{}: {:.1} vs {expected:.1}", d.date, d.volume);
    }
    let mean = WEEKDAY.iter().sum::<f64>() / 7.0;
    let factors = f.weekday_factors.unwrap();
    for w in 0..7 {
        let expected = WEEKDAY[w] / mean;
        assert!((factors[w] - expected).abs() < 0.02, "weekday {w}: {:.3} vs {expected:.3}", factors[w]);
    }
    let shares = truth.shares();
    let distance: f64 = f.profiles[0].iter().zip(&shares).map(|(a, b)| (a - b).abs()).sum::<f64>() / 2.0;
    assert!(distance < 0.03, "Monday profile off the truth by {distance:.4} (total variation)");
    let holiday = f.day(date(2024, 12, 30)).unwrap().special.as_ref().unwrap();
    assert!(matches!(holiday.source, FactorSource::Learned { days: 6 }), "{holiday:?}");
    assert!((holiday.factor - 0.3).abs() < 0.03, "learned factor {:.3}", holiday.factor);
    assert!(holiday.own_shape);
}

#[test]
fn unmarked_special_days_are_clipped_not_learned() {
    // The same year without its calendar: the smoothing clips each cut
    // Monday at a few running errors, so the Monday factor barely moves;
    // marked, they are left out altogether.
    let (truth, calendar) = clean_year();
    let s = truth.series("support");
    let marked = forecast(&s, &calendar, Method::Smoothing, &ForecastConfig::default()).unwrap();
    let unmarked = forecast(&s, &Calendar::new(), Method::Smoothing, &ForecastConfig::default()).unwrap();
    let (m, u) = (marked.weekday_factors.unwrap()[0], unmarked.weekday_factors.unwrap()[0]);
    assert!((u - m).abs() < 0.02, "Monday factor unmarked {u:.3} vs marked {m:.3}");
    // Their errors still show: unmarked, a day ahead is far less sure.
    let spread = |f: &wfmsim::forecast::QueueForecast| f.errors.ratio[0].1 - f.errors.ratio[0].0;
    assert!(spread(&unmarked) > spread(&marked), "{:?} vs {:?}", unmarked.errors.ratio[0], marked.errors.ratio[0]);
}

#[test]
fn volume_cv_comes_back_from_a_known_daily_factor_and_is_zero_for_pure_poisson() {
    let daily = BacktestConfig { origins: 150, step_days: 1, horizon_days: 7, ..BacktestConfig::default() };
    for (cv, seed) in [(0.1, 3), (0.0, 4)] {
        let truth = Truth { volume_cv: cv, seed, ..Truth::new(420) };
        let b = backtest(&truth.series("q"), &Calendar::new(), &daily).unwrap();
        let u = uncertainty::estimate(&[b], None).unwrap();
        let q = &u.queues[0];
        assert_eq!(q.days, 150);
        assert!(q.volume_cv_ci.0 <= cv && cv <= q.volume_cv_ci.1, "volume_cv {cv}: {q:?}");
        assert!((q.volume_cv - cv).abs() < 0.025, "volume_cv {cv}: estimated {:.4}", q.volume_cv);
        assert!(q.intraday_cv < 0.04, "no interval factor: {:.4}", q.intraday_cv);
    }
}

/// A scenario whose two queues (`a`, `b`) offer a weekly pattern with the
/// uncertainty given, for `days` days of hours in UTC, with no team (only
/// arrivals are simulated).
fn simulated_pair(uncertainty: &str, days: usize) -> Vec<Series> {
    let queue = |name: &str, scale: f64| {
        let daily: Vec<String> = WEEKDAY.iter().map(|w| format!("{:.1}", 2000.0 * scale * w)).collect();
        let profile: Vec<String> = (0..24).map(|h| format!("{:.3}", shape(h as f64 * 60.0 + 30.0, 0.2))).collect();
        format!(
            "[[queue]]\nname = \"{name}\"\nhandle_time = {{ distribution = \"exponential\", mean_s = 180 }}\n\
             arrivals = {{ daily = [{}], profile = [{}] }}\n",
            daily.join(", "),
            profile.join(", ")
        )
    };
    let src = format!(
        "[scenario]\nname = \"history\"\nstart = \"2025-01-06\"\ndays = {days}\ninterval_minutes = 60\ntimezone = \"UTC\"\nseed = 5\n\
         [uncertainty]\n{uncertainty}\n{}{}[[team]]\nname = \"T\"\nskills = [\"a\"]\nagents = 1\n",
        queue("a", 1.0),
        queue("b", 0.6)
    );
    let model = wfmsim::input::compile(&src, "history.toml").unwrap().model;
    let counters = simulate(&model, 0);
    (0..2)
        .map(|q| Series {
            queue: model.queues[q].name.clone(),
            zone: TimeZone::UTC,
            interval_minutes: 60,
            start: model.report_start,
            offered: (0..model.n_intervals).map(|i| Some(counters.queue_sum(q, i..i + 1).offered as f64)).collect(),
        })
        .collect()
}

#[test]
fn uncertainty_round_trips_through_the_simulator() {
    // History simulated with volume_cv 0.1 and correlation 0.5, forecast
    // and backtested: the estimates come back.
    let series = simulated_pair("volume_cv = 0.1\ncorrelation = 0.5", 400);
    let daily = BacktestConfig { origins: 200, step_days: 1, horizon_days: 7, ..BacktestConfig::default() };
    let b: Vec<QueueBacktest> = series.iter().map(|s| backtest(s, &Calendar::new(), &daily).unwrap()).collect();
    let u = uncertainty::estimate(&b, None).unwrap();
    for q in &u.queues {
        assert!(q.volume_cv_ci.0 <= 0.1 && 0.1 <= q.volume_cv_ci.1, "{q:?}");
        assert!((q.volume_cv - 0.1).abs() < 0.025, "{q:?}");
    }
    // 200 common days: the standard error of a correlation near 0.5 is
    // about 0.05; the estimate divides by two estimated variances too.
    assert_eq!(u.pairs, 1);
    assert!((u.correlation - 0.5).abs() < 0.2, "correlation {:.3}", u.correlation);
}

#[test]
fn reforecast_raises_a_busy_afternoon_and_leaves_a_normal_day() {
    let truth = Truth { volume_cv: 0.08, ..Truth::new(364) };
    let f = forecast(&truth.series("q"), &Calendar::new(), Method::Smoothing, &ForecastConfig::default()).unwrap();
    let day = &f.days[0];
    let intervals = f.intervals(day);
    let noon = intervals.iter().position(|i| i.start.to_zoned(f.zone.clone()).hour() == 12).unwrap();
    let busy: Vec<Option<f64>> = intervals[..noon].iter().map(|i| Some((1.3 * i.mean).round())).collect();
    let r = reforecast(&f, day.date, &busy).unwrap();
    assert!((r.ratio.unwrap() - 1.3).abs() < 0.01);
    // The morning holds about 40% of a day of some 2500 contacts: κ near
    // 1000 / (1000 + 1/v) with v the day factor's variance.
    assert!((1.2..=1.3).contains(&r.factor), "factor {:.3} (weight {:.3})", r.factor, r.weight);
    assert_eq!(r.rest.len(), intervals.len() - noon);
    for (after, before) in r.rest.iter().zip(&intervals[noon..]) {
        assert!((after.mean - r.factor * before.mean).abs() < 1e-9);
        assert!(after.high >= before.high);
    }
    assert!(r.total > 1.2 * day.total && r.low < r.total && r.total < r.high);
    let normal: Vec<Option<f64>> = intervals[..noon].iter().map(|i| Some(i.mean.round())).collect();
    let r = reforecast(&f, day.date, &normal).unwrap();
    assert!((r.factor - 1.0).abs() < 0.01, "a normal morning: factor {:.4}", r.factor);
}

#[test]
fn a_history_ending_today_forecasts_today_for_the_reforecast() {
    let truth = Truth::new(200);
    let mut s = truth.series("q");
    // Cut at 12:00 of the last day (local): that day is the origin.
    let keep = s.offered.len() - 48;
    let morning: Vec<Option<f64>> = s.offered[keep - 48..keep].to_vec();
    s.offered.truncate(keep);
    let f = forecast(&s, &Calendar::new(), Method::Smoothing, &ForecastConfig::default()).unwrap();
    let today = truth.start.checked_add(jiff::Span::new().days(199)).unwrap();
    assert_eq!(f.origin, today);
    let r = reforecast(&f, today, &morning).unwrap();
    assert_eq!(r.seen, 48);
    assert!((r.factor - 1.0).abs() < 0.05, "factor {:.3}", r.factor);
}

#[test]
fn dst_days_keep_intervals_of_day_by_local_clock_time() {
    // Berlin, 24/7: 2025-03-30 has 23 hours, 2025-10-26 has 25.
    let truth = Truth { start: date(2025, 1, 6), night: 0.3, ..Truth::new(400) };
    let s = truth.series("q");
    let shares = truth.shares();
    let run = |origin: Date, days: usize| {
        let config = ForecastConfig { origin: Some(origin), horizon_days: days, ..ForecastConfig::default() };
        forecast(&s, &Calendar::new(), Method::Smoothing, &config).unwrap()
    };
    // Trained across the spring change, forecast across the autumn one.
    let f = run(date(2025, 10, 20), 14);
    let distance: f64 = f.profiles[2].iter().zip(&shares).map(|(a, b)| (a - b).abs()).sum::<f64>() / 2.0;
    assert!(distance < 0.03, "Wednesday's profile off the local-clock truth by {distance:.4}");
    let fall = f.day(date(2025, 10, 26)).unwrap();
    let intervals = f.intervals(fall);
    assert_eq!(intervals.len(), 100);
    let local: Vec<(i8, i8, String)> = intervals
        .iter()
        .map(|i| {
            let z = i.start.to_zoned(f.zone.clone());
            (z.hour(), z.minute(), z.offset().to_string())
        })
        .collect();
    assert_eq!(local[8], (2, 0, "+02".to_string()));
    assert_eq!(local[12], (2, 0, "+01".to_string()));
    assert_eq!(intervals[8].slot, intervals[12].slot);
    assert_eq!(intervals[8].mean, intervals[12].mean, "the repeated hour at its local rate");
    for (i, (h, m, _)) in intervals.iter().zip(&local) {
        assert_eq!(i.slot, (*h as usize * 60 + *m as usize) / 15);
    }
    // The day's total holds the extra hour; its volume is a 24-hour day's.
    let extra: f64 = (8..12).map(|k| fall.volume * fall.shares[k]).sum();
    assert!((fall.total - fall.volume - extra).abs() < 1e-6);
    // Forecast across the spring change: 92 intervals, no 02:xx.
    let f = run(date(2025, 3, 24), 14);
    let spring = f.intervals(f.day(date(2025, 3, 30)).unwrap());
    assert_eq!(spring.len(), 92);
    assert!(spring.iter().all(|i| i.start.to_zoned(f.zone.clone()).hour() != 2));
    assert_eq!(spring[8].slot, 12, "03:00 follows 01:45");
    // The backtest runs through both changes; its DST days are measured
    // by local clock like the others.
    let b = backtest(&s, &Calendar::new(), &BacktestConfig::default()).unwrap();
    assert!(b.days.iter().any(|d| d.date == date(2025, 10, 26) && d.actual.is_some()));
    let wape = b.accuracy(b.chosen).unwrap().overall.intervals.wape().unwrap();
    assert!(wape < 0.2, "interval WAPE {wape:.3}");
}

#[test]
fn the_arrivals_fragment_compiles_into_a_scenario_that_offers_the_forecast() {
    let truth = Truth { volume_cv: 0.05, ..Truth::new(364) };
    let mut calendar = Calendar::new();
    let launch = date(2025, 1, 8);
    calendar.insert(launch, "Launch \"v2\" | <b>\nday", Some(1.5)).unwrap();
    let f = forecast(&truth.series("support"), &calendar, Method::Smoothing, &ForecastConfig::default()).unwrap();
    let u = UncertaintyEstimate {
        queues: vec![QueueUncertainty {
            queue: "support".into(),
            days: 52,
            volume_cv: 0.0812,
            volume_cv_ci: (0.06, 0.1),
            bias: 0.0,
            intraday_cv: 0.0311,
            interval_minutes: 30,
        }],
        correlation: 0.3,
        pairs: 1,
    };
    let a = arrivals(&f, &ArrivalsOptions::new(30)).unwrap();
    assert_eq!(a.profile.len(), 48);
    let fragment = render_toml(std::slice::from_ref(&a), Some(&u));
    assert!(fragment.parse::<toml::Table>().is_ok(), "{fragment}");
    assert!(fragment.contains("# Launch \"v2\" | <b> day: factor 1.500 (given)"), "{fragment}");
    // The lead's merge, by hand: the queue's other keys and a scenario
    // around it, reported in 30-minute intervals over the forecast.
    let name = "name = \"support\"";
    let merged = fragment.replacen(
        name,
        &format!("{name}\nhandle_time = {{ distribution = \"exponential\", mean_s = 180 }}"),
        1,
    );
    let src = format!(
        "[scenario]\nname = \"forecast\"\nstart = \"{}\"\ndays = 28\ninterval_minutes = 30\ntimezone = \"Europe/Berlin\"\n\
         {merged}\n[[team]]\nname = \"T\"\nskills = [\"support\"]\nagents = 1\n",
        f.origin
    );
    let model = wfmsim::input::compile(&src, "forecast.toml").unwrap().model;
    assert_eq!(model.correlation, 0.3);
    assert_eq!(model.queues[0].variation.volume_cv, 0.0812);
    assert_eq!(model.queues[0].variation.intraday_cv, 0.0311);
    // Each reported interval's expected contacts against the forecast's.
    let mut expected = vec![0.0; model.n_intervals];
    for seg in &model.queues[0].arrivals {
        for (i, e) in expected.iter_mut().enumerate() {
            let (a, b) = (i as f64 * model.interval_s, (i + 1) as f64 * model.interval_s);
            *e += seg.rate_per_s * (seg.end_s.min(b) - seg.start_s.max(a)).max(0.0);
        }
    }
    let mut forecast_sums = vec![0.0; model.n_intervals];
    for d in &f.days {
        for i in f.intervals(d) {
            let k = ((i.start.as_second() - model.report_start.as_second()) as f64 / model.interval_s) as usize;
            forecast_sums[k] += i.mean;
        }
    }
    for (k, (e, s)) in expected.iter().zip(&forecast_sums).enumerate() {
        assert!((e - s).abs() <= 1e-3 * s + 0.01, "interval {k}: scenario {e:.3} vs forecast {s:.3}");
    }
    let day = |d: Date| f.day(d).unwrap();
    assert!((day(launch).volume / (1.5 * day(date(2025, 1, 1)).volume) - 1.0).abs() < 0.02);
    // With one common profile the fragment is short and the totals stay.
    let common = arrivals(&f, &ArrivalsOptions { profiles: ProfileMode::Common, ..ArrivalsOptions::new(60) }).unwrap();
    assert_eq!(common.profile.len(), 24);
    assert!(common.overrides.iter().all(|o| o.profile.is_none() || o.date == launch));
    assert!(common.overrides.len() < a.overrides.len());
}

#[test]
fn monthly_volumes_for_the_plan_sum_the_forecast_days() {
    let (truth, series, _) = seasonal();
    let config = ForecastConfig { horizon_days: 370, ..ForecastConfig::default() };
    let f = forecast(series, &Calendar::new(), Method::Smoothing, &config).unwrap();
    assert_eq!(f.origin, date(2025, 12, 31));
    assert!(f.yearly);
    let m = monthly(&f, date(2026, 1, 15), 12).unwrap();
    assert_eq!(m.start, date(2026, 1, 1));
    let months = f.months();
    for (k, v) in m.volumes.iter().enumerate() {
        assert_eq!(*v, months[k + 1].total, "month {k}");
        // A year ahead, the yearly wave and the growth come through.
        let first = date(2026, k as i8 + 1, 1);
        let truth_sum: f64 = (0..first.days_in_month())
            .map(|d| truth.volume(first.checked_add(jiff::Span::new().days(d)).unwrap()))
            .sum();
        assert!((v / truth_sum - 1.0).abs() < 0.06, "{first}: {v:.0} vs {truth_sum:.0}");
    }
    let text = render_plan_toml(&[m]);
    let doc: toml::Table = text.parse().unwrap();
    let q = &doc["plan"]["queue"][0];
    assert_eq!(q["name"].as_str(), Some("support"));
    assert_eq!(q["volume"]["monthly"].as_array().unwrap().len(), 12);
    let err = monthly(&f, date(2026, 1, 1), 13).unwrap_err().to_string();
    assert_eq!(err, "queue 'support': month 2027-01 is not forecast (the forecast runs from 2025-12-31 to 2027-01-04)");
}

#[test]
fn bad_histories_and_settings_are_refused_with_what_is_allowed() {
    let truth = Truth::new(60);
    let good = truth.series("q");
    let run = |s: &Series| forecast(s, &Calendar::new(), Method::Smoothing, &ForecastConfig::default()).map(|_| ());
    let message = |s: &Series| run(s).unwrap_err().to_string();
    let mut s = good.clone();
    s.offered[100] = Some(-1.0);
    assert_eq!(
        message(&s),
        "queue 'q': offered -1 in the interval starting 2024-01-02T01:00:00+01:00; allowed: a number from 0 to 1e9, or missing"
    );
    s.offered[100] = Some(f64::NAN);
    assert!(message(&s).contains("offered NaN"));
    s.offered[100] = Some(2e9);
    assert!(message(&s).contains("offered 2000000000 "), "{}", message(&s));
    let s = Series { interval_minutes: 7, ..good.clone() };
    assert_eq!(message(&s), "queue 'q': interval of 7 minutes; allowed: 5, 6, 10, 15, 30 or 60");
    let s = Series { start: Timestamp::from_second(good.start.as_second() + 420).unwrap(), ..good.clone() };
    assert!(message(&s).contains("is not on the local 15-minute grid of 2024-01-01"), "{}", message(&s));
    let s = Series { offered: good.offered[..96 * 20].to_vec(), ..good.clone() };
    assert_eq!(message(&s), "queue 'q': 20 days of history before the origin; at least 28 needed");
    let s = Series { offered: vec![None; 96 * 60], ..good.clone() };
    assert!(message(&s).contains("days of history before the origin"));
    let s = Series { offered: Vec::new(), ..good.clone() };
    assert_eq!(message(&s), "queue 'q': the history has no intervals");
    let zero = Series { offered: vec![Some(0.0); 96 * 60], ..good.clone() };
    let f = forecast(&zero, &Calendar::new(), Method::Smoothing, &ForecastConfig::default()).unwrap();
    assert!(f.days.iter().all(|d| d.total == 0.0 && d.high == 0.0));
    let config = ForecastConfig { horizon_days: 0, ..ForecastConfig::default() };
    let err = forecast(&good, &Calendar::new(), Method::Smoothing, &config).unwrap_err();
    assert_eq!(err.to_string(), "horizon_days = 0; allowed: 1 to 1200");
    let config = ForecastConfig { origin: Some(date(2024, 6, 1)), ..ForecastConfig::default() };
    let err = forecast(&good, &Calendar::new(), Method::Smoothing, &config).unwrap_err();
    assert_eq!(
        err.to_string(),
        "queue 'q': origin 2024-06-01; allowed: from 2024-01-01 to 2024-03-01 (the day after the last full day)"
    );
    let mut calendar = Calendar::new();
    let err = calendar.insert(date(2024, 1, 1), "New Year", Some(f64::INFINITY)).unwrap_err();
    assert_eq!(err.to_string(), "calendar 2024-01-01 'New Year': factor inf; allowed: a finite number from 0 to 1000");
    let f = forecast(&good, &Calendar::new(), Method::Smoothing, &ForecastConfig::default()).unwrap();
    let err = arrivals(&f, &ArrivalsOptions::new(45)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "queue 'q': a 15-minute history cannot make a 45-minute profile; allowed: 15, 30 or 60 minutes, a multiple of 15"
    );
    let err = reforecast(&f, f.origin, &[Some(1.0); 97]).unwrap_err();
    assert_eq!(err.to_string(), "queue 'q': 97 actuals for 2024-03-01, which has 96 intervals");
    let err = monthly(&f, date(2024, 3, 1), usize::MAX).unwrap_err();
    assert!(err.to_string().contains("month 2024-03 is not forecast"), "{err}");
    let short = BacktestConfig { origins: 2, ..BacktestConfig::default() };
    let b = backtest(&good, &Calendar::new(), &BacktestConfig { min_train_days: 28, ..short }).unwrap();
    for minutes in [0, 10, 1500] {
        let err = uncertainty::estimate(std::slice::from_ref(&b), Some(minutes)).unwrap_err();
        assert!(err.to_string().contains(&format!("cannot make a {minutes}-minute profile")), "{err}");
    }
    let err = backtest(&good, &Calendar::new(), &BacktestConfig::default()).unwrap_err();
    assert_eq!(err.to_string(), "queue 'q': 60 days of history before the origin; at least 70 needed");
}

/// A short history of a queue whose name tries every format's escapes.
fn tricky() -> (Series, Calendar) {
    let mut s = Truth { volume_cv: 0.05, ..Truth::new(150) }.series("x");
    s.queue = "=HYPERLINK(\"evil\")|<b>sales</b>\nline".to_string();
    let mut calendar = Calendar::new();
    calendar.insert(date(2024, 5, 30), "+Launch, \"v2\"", Some(1.4)).unwrap();
    (s, calendar)
}

#[test]
fn reports_escape_every_name_and_chart_the_backtest() {
    let (s, calendar) = tricky();
    let config = BacktestConfig { origins: 8, ..BacktestConfig::default() };
    let b = backtest(&s, &calendar, &config).unwrap();
    let f = forecast(&s, &calendar, b.chosen, &ForecastConfig::default()).unwrap();
    let u = uncertainty::estimate(std::slice::from_ref(&b), None).unwrap();
    let (fs, bs) = (std::slice::from_ref(&f), std::slice::from_ref(&b));
    // CSV: quoted, and a leading apostrophe so no spreadsheet runs it.
    let quoted = "\"'=HYPERLINK(\"\"evil\"\")|<b>sales</b>\nline\"";
    for csv in [report::forecast::csv(fs, true), report::backtest::csv(bs)] {
        assert!(csv.contains(&format!("\n{quoted},")), "{}", &csv[..400]);
    }
    assert!(report::forecast::csv(fs, false).contains(",\"'+Launch, \"\"v2\"\"\"\n"));
    // Markdown: the pipe escaped, the line break gone.
    for (md, named_row) in [(report::forecast::markdown(fs, Some(&u)), true), (report::backtest::markdown(bs), false)] {
        assert!(md.contains("&lt;b&gt;sales&lt;/b&gt; line"), "{md}");
        assert!(md.lines().all(|l| !l.starts_with("line")), "a name broke a row");
        let rows: Vec<&str> = md.lines().filter(|l| l.starts_with('|')).collect();
        assert_eq!(
            rows.iter().any(|l| l.contains(")\\|&lt;b&gt;sales")),
            named_row,
            "the name in a table, its pipe escaped"
        );
        assert!(rows.iter().all(|l| !l.contains(")|<b>")), "an unescaped pipe splits a cell");
    }
    // Table: one row per name.
    let text = report::forecast::table(fs, Some(&u));
    assert!(
        text.contains("Queue =HYPERLINK(\"evil\")|<b>sales</b> line (")
            && text.contains("+Launch, \"v2\" x1.400 (given)")
    );
    assert!(report::backtest::table(bs).contains("chosen"));
    // HTML: escaped, self-contained, charts of actual against forecast.
    let html = report::backtest::html(bs);
    assert!(html.contains("&lt;b&gt;sales&lt;/b&gt;") && !html.contains("<b>sales"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
    assert_eq!(html.matches("<svg").count(), 5);
    assert!(html.contains("Daily contacts one day ahead: actual against forecast"));
    // JSON: parses, the name intact.
    let j: serde_json::Value = serde_json::from_str(&report::forecast::json(fs, Some(&u), true)).unwrap();
    assert_eq!(j["queues"][0]["queue"].as_str(), Some(s.queue.as_str()));
    assert_eq!(j["queues"][0]["days"][0]["intervals"].as_array().unwrap().len(), 96);
    assert!(j["uncertainty"]["queues"][0]["volume_cv"].is_number());
    let j: serde_json::Value = serde_json::from_str(&report::backtest::json(bs)).unwrap();
    assert_eq!(j["queues"][0]["origins"].as_array().unwrap().len(), 8);
    assert_eq!(j["queues"][0]["methods"].as_array().unwrap().len(), 3);
}

#[test]
fn same_history_same_bytes_whatever_the_thread_count() {
    let (s, calendar) = tricky();
    let config = BacktestConfig { origins: 6, ..BacktestConfig::default() };
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            let b = backtest(&s, &calendar, &config).unwrap();
            let f = forecast(&s, &calendar, b.chosen, &ForecastConfig::default()).unwrap();
            report::backtest::json(&[b]) + &report::forecast::json(&[f], None, true)
        })
    };
    assert_eq!(run(1), run(3));
}
