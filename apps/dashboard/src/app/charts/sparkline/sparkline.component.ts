import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { sparklinePath } from './sparkline-path';

/** A small line of the last hour (SVG, no chart library: an overview draws hundreds of them). */
@Component({
  selector: 'app-sparkline',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <svg
      class="sparkline"
      [attr.viewBox]="'0 0 ' + width() + ' ' + height()"
      [attr.width]="width()"
      [attr.height]="height()"
      aria-hidden="true"
    >
      <path [attr.d]="path()" fill="none" [attr.stroke]="colour()" stroke-width="1.4" stroke-linejoin="round" stroke-linecap="round" />
    </svg>
  `,
})
export class SparklineComponent {
  readonly values = input.required<readonly (number | null)[]>();
  readonly colour = input('currentColor');
  readonly width = input(72);
  readonly height = input(20);
  protected readonly path = computed(() => sparklinePath(this.values(), this.width(), this.height()));
}
