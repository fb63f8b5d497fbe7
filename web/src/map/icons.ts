import type { Map as MapLibreMap } from 'maplibre-gl';
import { STATUS_COLOR } from '../palette';
import { drawGroundLabel } from './labels';
import { UNIT_STATUSES, UNIT_TYPES, type UnitStatus, type UnitType } from '../types';
import { canvas2d, drawLabelPlate, OUTLINE, PIXEL_RATIO } from './canvas';
import { drawContactImage } from './contacticons';

const ICON_CSS_PX = 44;
const FLAG_CSS_PX = 18;

/** Adds the outline of a unit pointing north (heading 0) to the path, in a 100×100 box centred on the origin. */
type ShapeDrawer = (ctx: CanvasRenderingContext2D) => void;

function polygon(ctx: CanvasRenderingContext2D, points: ReadonlyArray<readonly [number, number]>): void {
  points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  ctx.closePath();
}

function circle(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.moveTo(x + r, y);
  ctx.arc(x, y, r, 0, Math.PI * 2);
}

const SHAPES: Record<UnitType, ShapeDrawer> = {
  vehicle: (ctx) => polygon(ctx, [[0, -42], [32, 38], [0, 20], [-32, 38]]),
  aircraft: (ctx) =>
    polygon(ctx, [
      [0, -46], [6, -36], [6, -10], [46, 12], [46, 20], [6, 10], [5, 30], [17, 40], [17, 46], [0, 42],
      [-17, 46], [-17, 40], [-5, 30], [-6, 10], [-46, 20], [-46, 12], [-6, -10], [-6, -36],
    ]),
  boat: (ctx) => {
    ctx.moveTo(0, -46);
    ctx.bezierCurveTo(16, -28, 20, -10, 20, 10);
    ctx.lineTo(17, 42);
    ctx.lineTo(-17, 42);
    ctx.lineTo(-20, 10);
    ctx.bezierCurveTo(-20, -10, -16, -28, 0, -46);
    ctx.closePath();
  },
  drone: (ctx) => {
    for (const [x, y] of [[26, 26], [-26, 26], [26, -26], [-26, -26]] as const) {
      circle(ctx, x, y, 15);
    }
    ctx.rect(-6, -30, 12, 60);
    ctx.rect(-30, -6, 60, 12);
    polygon(ctx, [[0, -44], [12, -22], [-12, -22]]);
  },
  foot: (ctx) => {
    circle(ctx, 0, 8, 22);
    polygon(ctx, [[0, -46], [14, -20], [-14, -20]]);
  },
  sensor: (ctx) => {
    polygon(ctx, [[0, -40], [40, 0], [0, 40], [-40, 0]]);
    circle(ctx, 0, 0, 12);
  },
};

function drawUnitIcon(type: UnitType, color: string): ImageData {
  const size = ICON_CSS_PX * PIXEL_RATIO;
  const ctx = canvas2d(size, size);
  ctx.translate(size / 2, size / 2);
  ctx.scale(size / 100, size / 100);
  ctx.beginPath();
  SHAPES[type](ctx);
  ctx.lineJoin = 'round';
  ctx.lineWidth = 9;
  ctx.strokeStyle = OUTLINE;
  ctx.stroke();
  ctx.fillStyle = color;
  // even-odd leaves the sensor's centre hollow, the watch-floor convention for a fixed sensor
  ctx.fill(type === 'sensor' ? 'evenodd' : 'nonzero');
  return ctx.getImageData(0, 0, size, size);
}

function drawLabel(text: string, status: UnitStatus): ImageData {
  const shown = status === 'live' ? text : `${text} · ${status.toUpperCase()}`;
  return drawLabelPlate(shown, status === 'live' ? '#ffffff' : STATUS_COLOR[status]);
}

/** A badge at a unit's shoulder: "!" on amber for stale, a cross on grey for lost. */
function drawFlag(status: UnitStatus): ImageData {
  const size = FLAG_CSS_PX * PIXEL_RATIO;
  const ctx = canvas2d(size, size);
  const r = size / 2;
  ctx.beginPath();
  ctx.arc(r, r, r - PIXEL_RATIO, 0, Math.PI * 2);
  ctx.fillStyle = STATUS_COLOR[status];
  ctx.fill();
  ctx.lineWidth = 2 * PIXEL_RATIO;
  ctx.strokeStyle = OUTLINE;
  ctx.stroke();
  ctx.fillStyle = OUTLINE;
  ctx.strokeStyle = OUTLINE;
  if (status === 'lost') {
    const d = r * 0.42;
    ctx.lineWidth = 3 * PIXEL_RATIO;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(r - d, r - d);
    ctx.lineTo(r + d, r + d);
    ctx.moveTo(r + d, r - d);
    ctx.lineTo(r - d, r + d);
    ctx.stroke();
  } else {
    const w = size * 0.16;
    ctx.fillRect(r - w / 2, size * 0.2, w, size * 0.38);
    ctx.beginPath();
    ctx.arc(r, size * 0.74, w * 0.6, 0, Math.PI * 2);
    ctx.fill();
  }
  return ctx.getImageData(0, 0, size, size);
}

/** A cluster bubble with its count; the ring turns amber when some of its units are stale or lost. */
function drawCluster(size: ClusterSize, flagged: boolean, count: string): ImageData {
  const diameter = CLUSTER_CSS_PX[size] * PIXEL_RATIO;
  const ctx = canvas2d(diameter, diameter);
  const r = diameter / 2;
  ctx.beginPath();
  ctx.arc(r, r, r - 3 * PIXEL_RATIO, 0, Math.PI * 2);
  ctx.fillStyle = 'rgba(12, 24, 40, 0.92)';
  ctx.fill();
  ctx.lineWidth = 4 * PIXEL_RATIO;
  ctx.strokeStyle = flagged ? STATUS_COLOR.stale : '#eef3fa';
  ctx.stroke();
  const fontPx = Math.round(Math.min(18, CLUSTER_CSS_PX[size] / (count.length > 3 ? 3 : 2.4)) * PIXEL_RATIO);
  ctx.font = `800 ${fontPx}px system-ui, "DejaVu Sans", "Liberation Sans", sans-serif`;
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(count, r, r + PIXEL_RATIO);
  return ctx.getImageData(0, 0, diameter, diameter);
}

/** Image names the unit layers ask for; every image is drawn on first use (see `drawMissingImage`). */
export const IMAGE = {
  unit: (type: string, color: string) => `u:${type}:${color.replace('#', '')}`,
  flag: (status: string) => `f:${status}`,
  label: (status: string, text: string) => `l:${status}:${text}`,
  cluster: (size: string, flag: string, count: string) => `c:${size}:${flag}:${count}`,
} as const;

export const CLUSTER_SIZES = ['s', 'm', 'l', 'xl'] as const;
type ClusterSize = (typeof CLUSTER_SIZES)[number];
const CLUSTER_CSS_PX: Record<ClusterSize, number> = { s: 40, m: 48, l: 58, xl: 68 };

function isOneOf<T extends string>(values: readonly T[], value: string | undefined): value is T {
  return value !== undefined && (values as readonly string[]).includes(value);
}

/**
 * Draws the image a layer asked for by name, if the name is one of ours; returns whether it did. Unit icons, labels,
 * flags, cluster counts, contacts (`contacticons`) and the ground's names (`labels`) are drawn with the canvas on
 * demand: the style has no glyphs (nothing is fetched), and a label is only drawn for the units someone zooms in on.
 */
export function drawMissingImage(map: MapLibreMap, id: string): boolean {
  const [kind, first = '', ...rest] = id.split(':');
  const tail = rest.join(':');
  let image: ImageData | null = null;
  if (kind === 'u' && isOneOf(UNIT_TYPES, first) && /^[0-9a-f]{6}$/i.test(tail)) {
    image = drawUnitIcon(first, `#${tail}`);
  } else if (kind === 'f' && isOneOf(UNIT_STATUSES, first)) {
    image = drawFlag(first);
  } else if (kind === 'l' && isOneOf(UNIT_STATUSES, first) && tail !== '') {
    image = drawLabel(tail, first);
  } else if (kind === 'c' && isOneOf(CLUSTER_SIZES, first)) {
    const [flag = '', count = ''] = rest;
    image = drawCluster(first, flag === 'flag', count);
  } else {
    image = drawContactImage(kind ?? '', first, tail) ?? drawGroundLabel(id);
  }
  if (image === null || map.hasImage(id)) {
    return image !== null;
  }
  map.addImage(id, image, { pixelRatio: PIXEL_RATIO });
  return true;
}
