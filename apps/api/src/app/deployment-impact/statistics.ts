import type { MetricImpact, WindowStats } from '@seqpulse/contracts';

/**
 * Pure statistics of a deployment's impact: no I/O, no clock. A window is the list of samples stored in it;
 * a gap is a sample that does not exist, so `null` entries (a gap on a grid) are dropped, never read as 0.
 */

/** Two-sided p-value under which a pre/post difference counts as more than chance. Low on purpose (see `significance`). */
export const SIGNIFICANCE_ALPHA = 0.001;
/** MAD × this = the standard deviation of a normal distribution with that MAD (a robust σ). */
const MAD_TO_SIGMA = 1.4826;
/** The medians must move by at least this many robust σ of the pre window. */
export const MIN_SHIFT_SIGMAS = 1;

/** The finite numbers of a series, sorted ascending; nulls (gaps), NaN and ±Infinity are dropped. */
export function presentSorted(values: ArrayLike<number | null | undefined>): Float64Array {
  const present = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) present[n++] = v;
  }
  return present.subarray(0, n).sort(); // a typed array sorts numerically, without a comparator call per pair
}

function isPresent(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Quantile of a sorted, non-empty list, linear interpolation between closest ranks (Postgres `percentile_cont`). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new Error('quantile of an empty list');
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

export function windowStats(sorted: ArrayLike<number>): WindowStats {
  if (sorted.length === 0) return { count: 0, mean: null, p95: null };
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i];
  return { count: sorted.length, mean: sum / sorted.length, p95: quantile(sorted, 0.95) };
}

/** Median absolute deviation of a sorted list. */
export function mad(sorted: ArrayLike<number>): number {
  const median = quantile(sorted, 0.5);
  const deviations = new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) deviations[i] = Math.abs(sorted[i] - median);
  return quantile(deviations.sort(), 0.5);
}

export interface RankTest {
  /** U statistic of the second sample (post): how often a post value beats a pre value (ties count ½). */
  u: number;
  z: number;
  /** Two-sided p-value (normal approximation, tie-corrected, continuity-corrected). */
  p: number;
}

/**
 * Mann-Whitney U (Wilcoxon rank-sum) test of `a` against `b`, both sorted. Null when either has fewer than
 * `minEach` values or every value is tied (no variance: nothing to test). `varianceInflation` widens the null
 * distribution for autocorrelated samples (see `autocorrelationInflation`).
 */
export function mannWhitney(a: ArrayLike<number>, b: ArrayLike<number>, minEach = 5, varianceInflation = 1): RankTest | null {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 < minEach || n2 < minEach) return null;
  const n = n1 + n2;
  // Merge the two sorted lists, assigning average ranks to runs of ties; sum the ranks of `b`.
  let i = 0;
  let j = 0;
  let rank = 1;
  let rankSumB = 0;
  let tieTerm = 0;
  while (i < n1 || j < n2) {
    const value = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    let inA = 0;
    let inB = 0;
    while (i < n1 && a[i] === value) {
      i++;
      inA++;
    }
    while (j < n2 && b[j] === value) {
      j++;
      inB++;
    }
    const t = inA + inB;
    rankSumB += inB * (rank + (t - 1) / 2);
    tieTerm += t * t * t - t;
    rank += t;
  }
  const u = rankSumB - (n2 * (n2 + 1)) / 2;
  const meanU = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))) * varianceInflation;
  if (variance <= 0) return null;
  const diff = u - meanU;
  const z = (diff === 0 ? 0 : diff - 0.5 * Math.sign(diff)) / Math.sqrt(variance);
  return { u, z, p: Math.min(1, 2 * normalUpperTail(Math.abs(z))) };
}

/** P(Z > z) for a standard normal Z (erfc approximation, relative error < 1.2e-7: Numerical Recipes' erfcc). */
export function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.5 * ax);
  const poly =
    -ax * ax -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return (x >= 0 ? erfc : 2 - erfc) / 2;
}

/**
 * Lag-1 autocorrelation ρ of a series in time order, from adjacent pairs only (a gap breaks the pair: it is not
 * bridged and not read as 0); clamped to [0, 0.9]. Null when there are fewer than 3 pairs or no variance.
 */
export function lag1Autocorrelation(series: readonly (number | null | undefined)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const v of series) {
    if (!isPresent(v)) continue;
    sum += v;
    n++;
  }
  if (n < 4) return null;
  const mean = sum / n;
  let variance = 0;
  for (const v of series) if (isPresent(v)) variance += (v - mean) ** 2;
  let covariance = 0;
  let pairs = 0;
  for (let i = 1; i < series.length; i++) {
    const a = series[i - 1];
    const b = series[i];
    if (!isPresent(a) || !isPresent(b)) continue;
    covariance += (a - mean) * (b - mean);
    pairs++;
  }
  if (pairs < 3 || variance === 0) return null;
  const rho = covariance / pairs / (variance / n);
  return Math.min(0.9, Math.max(0, rho));
}

/**
 * Samples 15 s apart are not independent: a slow minute is four slow samples. For an AR(1) series the variance of
 * a mean grows by (1 + ρ) / (1 − ρ) (the effective sample size shrinks by as much); the rank test's variance is
 * widened by the same factor, with ρ estimated on the pre window.
 */
export function autocorrelationInflation(preInTimeOrder: readonly (number | null | undefined)[]): number {
  const rho = lag1Autocorrelation(preInTimeOrder) ?? 0;
  return (1 + rho) / (1 - rho);
}

/**
 * Is the post window different from the pre window beyond the pre window's own noise? Both must hold:
 * - the rank test (its variance widened for autocorrelation, see `autocorrelationInflation`) says the two windows are not one distribution (p < SIGNIFICANCE_ALPHA): distribution-free,
 *   so skewed metrics (latency) and metrics that are mostly 0 (error rate) need no normality assumption, and one
 *   outlier moves a rank by one place only;
 * - the medians moved by at least MIN_SHIFT_SIGMAS robust σ (1.4826 × MAD) of the pre window. Samples 15 s apart
 *   are autocorrelated, which makes any test's p-value optimistic with 100+ samples; this floor keeps a
 *   "significant" change one the pre window's own spread does not explain. A pre window with MAD 0 (a constant,
 *   e.g. no errors at all) has no floor: any sustained shift away from that constant counts.
 * Null when untestable (fewer than 5 samples on either side).
 */
/** What the comparison needs from a pre window, computed once per window (a pre window does not change). */
export interface PreparedPre {
  sorted: Float64Array;
  stats: WindowStats;
  /** The noise floor a shift of medians must exceed: MIN_SHIFT_SIGMAS robust σ. */
  shiftFloor: number;
  /** Variance inflation of the rank test for this window's autocorrelation. */
  inflation: number;
}

/** Prepares a pre window (series in time order) for any number of comparisons. */
export function preparePre(preValues: readonly (number | null)[]): PreparedPre {
  const sorted = presentSorted(preValues);
  return {
    sorted,
    stats: windowStats(sorted),
    shiftFloor: sorted.length ? MIN_SHIFT_SIGMAS * MAD_TO_SIGMA * mad(sorted) : 0,
    inflation: autocorrelationInflation(preValues),
  };
}

export function significance(pre: PreparedPre, post: ArrayLike<number>): { significant: boolean | null; p: number | null } {
  const test = mannWhitney(pre.sorted, post, 5, pre.inflation);
  if (!test) {
    if (pre.sorted.length < 5 || post.length < 5) return { significant: null, p: null };
    return { significant: false, p: 1 }; // every value tied: both windows are the same constant
  }
  const shift = Math.abs(quantile(post, 0.5) - quantile(pre.sorted, 0.5));
  return { significant: test.p < SIGNIFICANCE_ALPHA && shift > pre.shiftFloor, p: test.p };
}

/**
 * Impact on one metric: the two windows' statistics, the change of the means, and its significance. Series in
 * time order; the pre window raw or already prepared.
 */
export function metricImpact(preValues: readonly (number | null)[] | PreparedPre, postValues: readonly (number | null)[]): MetricImpact {
  const pre = Array.isArray(preValues) ? preparePre(preValues) : (preValues as PreparedPre);
  const post = presentSorted(postValues);
  const preStats = pre.stats;
  const postStats = windowStats(post);
  const changeAbs = preStats.mean !== null && postStats.mean !== null ? postStats.mean - preStats.mean : null;
  const changeRel = changeAbs !== null && preStats.mean ? changeAbs / preStats.mean : null;
  const { significant, p } = significance(pre, post);
  return { pre: preStats, post: postStats, change_abs: changeAbs, change_rel: changeRel, significant, p_value: p };
}
