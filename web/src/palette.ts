import type { Severity, UnitStatus } from './types';

/** The one source of the status and severity colours; the stylesheet reads them as CSS variables. */
export const STATUS_COLOR: Record<UnitStatus, string> = {
  live: '#3dff8b',
  stale: '#ffb224',
  lost: '#8b929c',
};

export const SEVERITY_COLOR: Record<Severity, string> = {
  info: '#4da3ff',
  warning: '#ffb224',
  critical: '#ff4d4d',
};

/** The selected unit's track: a hue no status, severity or basemap line uses. */
export const TRACK_COLOR = '#ff5ce1';

export function exposeColorsToCss(root: HTMLElement): void {
  root.style.setProperty('--track', TRACK_COLOR);
  for (const [status, color] of Object.entries(STATUS_COLOR)) {
    root.style.setProperty(`--status-${status}`, color);
  }
  for (const [severity, color] of Object.entries(SEVERITY_COLOR)) {
    root.style.setProperty(`--severity-${severity}`, color);
  }
}
