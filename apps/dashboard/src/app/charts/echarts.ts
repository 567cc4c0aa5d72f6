/**
 * The only place echarts is imported at runtime. It is loaded lazily (`provideEchartsCore`
 * with a dynamic import) so the ~500 kB of chart code stays out of the initial bundle.
 * Registers just what the line charts need (deployment regions are mark areas; the comparison charts have a legend).
 */
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import {
  AxisPointerComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  GridComponent,
  TooltipComponent,
  AxisPointerComponent,
  MarkLineComponent,
  MarkPointComponent,
  MarkAreaComponent,
  LegendComponent,
  SVGRenderer,
  CanvasRenderer,
]);

export { echarts };
