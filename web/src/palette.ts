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

/** Detections: the pulsing marker and the line from its sensor. */
export const DETECTION_COLOR = '#ff7a1a';
/** Dispatch: the ring around the nearest patrol of the chosen alert, and the line of a unit sent to one. */
export const DISPATCH_COLOR = '#00d5ff';
/** Sensors' fields of view and coverage. */
export const SENSOR_COLOR = '#9ecbff';

/**
 * Contacts (aircraft, vessels, radar tracks: not our own) are hollow yellow outlines, the yellow of an unknown track on
 * military symbology, apart from the filled units in status or agency colours; a stale contact turns grey and dashed.
 */
export const CONTACT_COLOR = '#ffd21f';
export const CONTACT_STALE_COLOR = '#9aa3ad';

/** History replay: units and trails where they were, and the REPLAY flag; no live status or agency uses it. */
export const REPLAY_COLOR = '#b48bff';

export function exposeColorsToCss(root: HTMLElement): void {
  root.style.setProperty('--replay', REPLAY_COLOR);
  root.style.setProperty('--contact', CONTACT_COLOR);
  root.style.setProperty('--contact-stale', CONTACT_STALE_COLOR);
  root.style.setProperty('--track', TRACK_COLOR);
  root.style.setProperty('--detection', DETECTION_COLOR);
  root.style.setProperty('--dispatch', DISPATCH_COLOR);
  for (const [status, color] of Object.entries(STATUS_COLOR)) {
    root.style.setProperty(`--status-${status}`, color);
  }
  for (const [severity, color] of Object.entries(SEVERITY_COLOR)) {
    root.style.setProperty(`--severity-${severity}`, color);
  }
}

/**
 * Agency colours, picked to stay apart from each other on the dark map, and from the status amber and grey that mark
 * stale and lost units in either colour mode.
 */
export const AGENCY_COLORS = ['#4da3ff', '#3dff8b', '#ff7ad9', '#2ee6d6', '#c9a0ff', '#ff8c42', '#e8f26b', '#ffffff'];
/** Units of no known agency (the registry has not named them yet). */
export const UNKNOWN_AGENCY_COLOR = '#b8c4d6';

/** What the unit icons' colour says: the unit's status (live, stale, lost) or the agency it belongs to. */
export type ColorMode = 'status' | 'agency';

/** Colours for the agencies in `ids`, by their sorted order: the same set always gets the same colours. */
export function agencyColors(ids: Iterable<string>): Map<string, string> {
  const sorted = [...new Set(ids)].sort();
  return new Map(sorted.map((id, i) => [id, AGENCY_COLORS[i % AGENCY_COLORS.length] ?? UNKNOWN_AGENCY_COLOR]));
}
