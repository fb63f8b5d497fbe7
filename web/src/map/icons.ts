import type { Map as MapLibreMap } from 'maplibre-gl';
import { STATUS_COLOR } from '../palette';
import { UNIT_STATUSES, UNIT_TYPES, type UnitStatus, type UnitType } from '../types';

/** Images are drawn at twice their display size so they stay crisp on high-density screens. */
const PIXEL_RATIO = 2;
const ICON_CSS_PX = 44;
const LABEL_FONT_CSS_PX = 15;
const OUTLINE = '#000000';

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

function canvas2d(width: number, height: number): CanvasRenderingContext2D {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (ctx === null) {
    throw new Error('Canvas 2D is not available');
  }
  return ctx;
}

function drawUnitIcon(type: UnitType, status: UnitStatus): ImageData {
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
  ctx.fillStyle = STATUS_COLOR[status];
  // even-odd leaves the sensor's centre hollow, the watch-floor convention for a fixed sensor
  ctx.fill(type === 'sensor' ? 'evenodd' : 'nonzero');
  return ctx.getImageData(0, 0, size, size);
}

function drawLabel(text: string): ImageData {
  const font = `700 ${LABEL_FONT_CSS_PX * PIXEL_RATIO}px system-ui, "DejaVu Sans", "Liberation Sans", sans-serif`;
  const padX = 6 * PIXEL_RATIO;
  const height = (LABEL_FONT_CSS_PX + 8) * PIXEL_RATIO;
  const width = measure(text, font) + padX * 2;
  const ctx = canvas2d(width, height);
  ctx.fillStyle = 'rgba(3, 7, 13, 0.85)';
  ctx.beginPath();
  ctx.roundRect(0, 0, width, height, 4 * PIXEL_RATIO);
  ctx.fill();
  ctx.font = font;
  ctx.fillStyle = '#ffffff';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, padX, height / 2 + PIXEL_RATIO);
  return ctx.getImageData(0, 0, width, height);
}

function measure(text: string, font: string): number {
  const ctx = canvas2d(1, 1);
  ctx.font = font;
  return Math.ceil(ctx.measureText(text).width);
}

export function unitIconName(type: UnitType, status: UnitStatus): string {
  return `unit-${type}-${status}`;
}

export function labelIconName(unitId: string): string {
  return `label-${unitId}`;
}

export function addUnitIcons(map: MapLibreMap): void {
  for (const type of UNIT_TYPES) {
    for (const status of UNIT_STATUSES) {
      map.addImage(unitIconName(type, status), drawUnitIcon(type, status), { pixelRatio: PIXEL_RATIO });
    }
  }
}

export function addLabelIcon(map: MapLibreMap, unitId: string): void {
  map.addImage(labelIconName(unitId), drawLabel(unitId), { pixelRatio: PIXEL_RATIO });
}

export function removeLabelIcon(map: MapLibreMap, unitId: string): void {
  map.removeImage(labelIconName(unitId));
}
