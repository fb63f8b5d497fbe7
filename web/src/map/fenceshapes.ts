import type { LineString, Point, Polygon, Position } from 'geojson';
import { destination, distanceMeters } from '../geo';
import type { Geofence, GeofenceFields, GeofenceInput, GeofenceProperties } from '../types';

/** What an operator draws: an area, a circle (centre and radius) or a corridor (a line, widened by the server). */
export type Shape =
  | { kind: 'polygon'; polygon: Polygon }
  | { kind: 'circle'; center: Position; radiusMeters: number }
  | { kind: 'corridor'; line: LineString };

export type ShapeKind = Shape['kind'];

const CIRCLE_STEPS = 64;
/** Terra Draw refuses coordinates finer than its precision (9 places); 7 places are about a centimetre. */
const PLACES = 1e7;
/** Properties the server derives or owns: a replaced fence gets them from the form and the shape, not the old copy. */
const SERVER_OWNED = ['radiusMeters', 'bufferMeters', 'sourceGeometry', 'updatedAt', 'revision', 'agency'];

export function round(position: Position): Position {
  return [Math.round(position[0]! * PLACES) / PLACES, Math.round(position[1]! * PLACES) / PLACES];
}

/** A geodesic circle as a closed ring, for drawing an existing circle fence to edit. */
export function circlePolygon(center: Position, radiusMeters: number): Polygon {
  const ring: Position[] = [];
  for (let i = 0; i < CIRCLE_STEPS; i += 1) {
    ring.push(round(destination([center[0]!, center[1]!], (360 * i) / CIRCLE_STEPS, radiusMeters)));
  }
  ring.push(ring[0]!);
  return { type: 'Polygon', coordinates: [ring] };
}

/**
 * The centre and radius of a drawn circle: the mean of its vertices (a circle is symmetric about its centre, also on
 * Web Mercator at the scale of a fence) and their mean distance from it.
 */
export function circleOf(polygon: Polygon): { center: Position; radiusMeters: number } {
  const ring = polygon.coordinates[0]!.slice(0, -1);
  const lon = ring.reduce((sum, [x]) => sum + x!, 0) / ring.length;
  const lat = ring.reduce((sum, [, y]) => sum + y!, 0) / ring.length;
  const radius = ring.reduce((sum, [x, y]) => sum + distanceMeters([lon, lat], [x!, y!]), 0) / ring.length;
  return { center: round([lon, lat]), radiusMeters: Math.max(1, Math.round(radius)) };
}

/** The editable shape of a stored fence; null for a MultiPolygon (its properties can change, its outline not here). */
export function shapeOf(fence: Geofence): Shape | null {
  const { sourceGeometry, radiusMeters } = fence.properties;
  if (sourceGeometry?.type === 'Point' && radiusMeters !== undefined) {
    return { kind: 'circle', center: round(sourceGeometry.coordinates), radiusMeters };
  }
  if (sourceGeometry?.type === 'LineString') {
    return { kind: 'corridor', line: { type: 'LineString', coordinates: sourceGeometry.coordinates.map(round) } };
  }
  if (fence.geometry.type === 'Polygon') {
    return { kind: 'polygon', polygon: { type: 'Polygon', coordinates: fence.geometry.coordinates.map((r) => r.map(round)) } };
  }
  return null;
}

/** The kind a stored fence was drawn as. */
export function kindOf(fence: Geofence): ShapeKind | 'multipolygon' {
  return shapeOf(fence)?.kind ?? 'multipolygon';
}

/**
 * The feature POST or PUT takes: the shape (a circle as its centre with `radiusMeters`, a corridor as its line with
 * `bufferMeters`) and the form's properties over whatever else the fence carried. `shape` null keeps the stored
 * geometry (a MultiPolygon).
 */
export function fenceInput(
  shape: Shape | null,
  stored: Geofence | null,
  properties: GeofenceFields,
  bufferMeters: number | undefined,
): GeofenceInput {
  const kept: Record<string, unknown> = { ...(stored?.properties ?? {}) };
  SERVER_OWNED.forEach((key) => delete kept[key]);
  const merged: Record<string, unknown> = { ...kept, ...properties };
  for (const [key, value] of Object.entries(merged)) {
    if (value === undefined) {
      delete merged[key]; // a field the form cleared: absent means the server's default
    }
  }
  return withShape(shape, stored, merged as GeofenceProperties, bufferMeters);
}

function withShape(
  shape: Shape | null,
  stored: Geofence | null,
  merged: GeofenceProperties,
  bufferMeters: number | undefined,
): GeofenceInput {
  if (shape === null) {
    return { type: 'Feature', geometry: stored!.geometry, properties: merged };
  }
  switch (shape.kind) {
    case 'polygon':
      return { type: 'Feature', geometry: shape.polygon, properties: merged };
    case 'circle': {
      const point: Point = { type: 'Point', coordinates: shape.center };
      return { type: 'Feature', geometry: point, properties: { ...merged, radiusMeters: shape.radiusMeters } };
    }
    case 'corridor':
      return {
        type: 'Feature',
        geometry: shape.line,
        properties: bufferMeters === undefined ? merged : { ...merged, bufferMeters },
      };
  }
}
