/**
 * An SVG path of values on a `width` × `height` box (one x step per value, y from 0 or the lowest value up to the
 * highest, top = highest). A `null` breaks the line (a gap, never a drop to 0); a lone value is a dot-sized stroke.
 */
export function sparklinePath(values: readonly (number | null)[], width: number, height: number, pad = 1.5): string {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0 || values.length === 0) return '';
  const lo = Math.min(0, ...present);
  const hi = Math.max(...present);
  const span = hi - lo || 1;
  const dx = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const y = (v: number) => pad + (height - 2 * pad) * (1 - (v - lo) / span);
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    const x = (pad + i * dx).toFixed(1);
    const yy = y(v).toFixed(1);
    const lone = !pen && (i === values.length - 1 || values[i + 1] === null);
    d += pen ? `L${x} ${yy}` : lone ? `M${x} ${yy}h0.01` : `M${x} ${yy}`;
    pen = true;
  });
  return d;
}
