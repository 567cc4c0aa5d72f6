import type { ECharts } from 'echarts/core';

/**
 * One PNG of several charts stacked top to bottom, each rendered by echarts at `pixelRatio` on `background`
 * (the charts are transparent; a PNG needs the page's colour).
 */
export async function stackedChartsPng(charts: ECharts[], background: string, pixelRatio = 2): Promise<Blob> {
  const images = await Promise.all(
    charts.map(
      (chart) =>
        new Promise<HTMLImageElement>((resolve, reject) => {
          const img = new Image();
          img.onload = () => resolve(img);
          img.onerror = () => reject(new Error('chart image failed'));
          img.src = chart.getDataURL({ type: 'png', pixelRatio, backgroundColor: background });
        }),
    ),
  );
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(...images.map((i) => i.width));
  canvas.height = images.reduce((h, i) => h + i.height, 0);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  let y = 0;
  for (const img of images) {
    ctx.drawImage(img, 0, y);
    y += img.height;
  }
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}
