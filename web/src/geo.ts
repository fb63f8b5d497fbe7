import type { NearestUnit, UnitType } from './types';

/** The mean Earth radius: on a sphere, distances within a few kilometres are off by well under 0.5 %. */
const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;
/** Below this a unit is standing still or crawling: its ETA assumes its type's usual speed, as the server's does. */
const MOVING_MPS = 1;
/** The server's default ETA speeds (BW_ETA_KMH) when neither the unit nor its alert says better. */
const USUAL_KMH: Partial<Record<UnitType, number>> = { vehicle: 50, foot: 5, boat: 30, drone: 60 };
const FALLBACK_KMH = 30;

export type LonLat = readonly [number, number];

/** Great-circle distance in metres. */
export function distanceMeters([lon1, lat1]: LonLat, [lon2, lat2]: LonLat): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The point `meters` from `from` along `bearing` (degrees clockwise from north), on the sphere. */
export function destination([lon, lat]: LonLat, bearing: number, meters: number): [number, number] {
  const d = meters / EARTH_RADIUS_M;
  const b = bearing * RAD;
  const phi1 = lat * RAD;
  const phi2 = Math.asin(Math.sin(phi1) * Math.cos(d) + Math.cos(phi1) * Math.sin(d) * Math.cos(b));
  const lambda2 =
    lon * RAD + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(phi1), Math.cos(d) - Math.sin(phi1) * Math.sin(phi2));
  return [((((lambda2 / RAD + 540) % 360) + 360) % 360) - 180, phi2 / RAD];
}

/**
 * Seconds for a unit to cover `meters`: at its reported speed while it moves; else at the speed its alert's ETA
 * assumed (the server knows the configured speeds); else at its type's usual speed.
 */
export function etaSeconds(meters: number, speed: number | null, type: UnitType, listed?: NearestUnit): number {
  let mps: number;
  if (speed !== null && speed >= MOVING_MPS) {
    mps = speed;
  } else if (listed !== undefined && listed.etaSeconds > 0 && listed.distanceMeters > 0) {
    mps = listed.distanceMeters / listed.etaSeconds;
  } else {
    mps = (USUAL_KMH[type] ?? FALLBACK_KMH) / 3.6;
  }
  return meters / mps;
}

/** "850 m", "2.2 km", "38 km": what a watch officer reads at a glance. */
export function formatDistance(meters: number): string {
  if (meters < 1000) {
    return `${Math.round(meters / 10) * 10} m`;
  }
  return meters < 10_000 ? `${(meters / 1000).toFixed(1)} km` : `${Math.round(meters / 1000)} km`;
}

/** "<1 min", "7 min", "1 h 05 min". */
export function formatEta(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 1) {
    return '<1 min';
  }
  if (minutes < 60) {
    return `${minutes} min`;
  }
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Metres in a nautical mile. */
export const METERS_PER_NM = 1852;

/** The initial great-circle bearing from `from` to `to`, in degrees clockwise from true north, 0 to 360. */
export function bearingDegrees([lon1, lat1]: LonLat, [lon2, lat2]: LonLat): number {
  const phi1 = lat1 * RAD;
  const phi2 = lat2 * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const y = Math.sin(dLon) * Math.cos(phi2);
  const x = Math.cos(phi1) * Math.sin(phi2) - Math.sin(phi1) * Math.cos(phi2) * Math.cos(dLon);
  return ((Math.atan2(y, x) / RAD) % 360 + 360) % 360;
}

/** "31.75872, -106.48693": latitude first, as radio calls and most forms give it; five decimals are about a metre. */
export function formatDecimal([lon, lat]: LonLat): string {
  return `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
}

/** "13R CL 12345 67890" from the run-together form the mgrs package returns; unchanged if it does not parse. */
export function spaceMgrs(mgrs: string): string {
  const parts = /^(\d{1,2}[C-X])([A-Z]{2})(\d*)$/.exec(mgrs);
  if (parts === null) {
    return mgrs;
  }
  const [, zone = '', square = '', digits = ''] = parts;
  const half = digits.length / 2;
  return [zone, square, digits.slice(0, half), digits.slice(half)].filter((part) => part !== '').join(' ');
}
