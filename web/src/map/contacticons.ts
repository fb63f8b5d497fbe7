import { CONTACT_COLOR, CONTACT_STALE_COLOR } from '../palette';
import { CONTACT_KINDS, type ContactKind } from '../types';
import { canvas2d, drawLabelPlate, OUTLINE, PIXEL_RATIO } from './canvas';

const ICON_CSS_PX = 44;
/** A contact of no known kind (a radar blip): the plain diamond. */
export type ContactShape = ContactKind | 'unknown';
const SHAPES_SHOWN = [...CONTACT_KINDS, 'unknown'] as const;
const STATUSES = ['live', 'stale'] as const;
type ShownStatus = (typeof STATUSES)[number];

type Outline = (ctx: CanvasRenderingContext2D) => void;

function polygon(ctx: CanvasRenderingContext2D, points: ReadonlyArray<readonly [number, number]>): void {
  points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  ctx.closePath();
}

/**
 * Outlines in a 100×100 box centred on the origin, pointing north. Contacts are drawn hollow (only their outline),
 * never filled as own units are, so the two families read apart at a glance.
 */
const OUTLINES: Record<ContactShape, Outline> = {
  aircraft: (ctx) =>
    polygon(ctx, [
      [0, -40], [7, -26], [7, -8], [38, 10], [38, 18], [7, 10], [6, 26], [15, 34], [15, 38], [0, 35],
      [-15, 38], [-15, 34], [-6, 26], [-7, 10], [-38, 18], [-38, 10], [-7, -8], [-7, -26],
    ]),
  vessel: (ctx) => {
    ctx.moveTo(0, -40);
    ctx.lineTo(18, -14);
    ctx.lineTo(18, 34);
    ctx.lineTo(-18, 34);
    ctx.lineTo(-18, -14);
    ctx.closePath();
  },
  person: (ctx) => {
    ctx.moveTo(22, 6);
    ctx.arc(0, 6, 22, 0, Math.PI * 2);
  },
  vehicle: (ctx) => ctx.rect(-22, -16, 44, 44),
  unknown: (ctx) => polygon(ctx, [[0, -26], [28, 4], [0, 34], [-28, 4]]),
};

/** Shapes that do not point by themselves get a stick toward the heading. */
const NEEDS_STICK: Record<ContactShape, boolean> = {
  aircraft: false,
  vessel: false,
  person: true,
  vehicle: true,
  unknown: true,
};

function isOneOf<T extends string>(values: readonly T[], value: string | undefined): value is T {
  return value !== undefined && (values as readonly string[]).includes(value);
}

function drawContactIcon(shape: ContactShape, status: ShownStatus, heading: boolean): ImageData {
  const size = ICON_CSS_PX * PIXEL_RATIO;
  const ctx = canvas2d(size, size);
  ctx.translate(size / 2, size / 2);
  ctx.scale(size / 100, size / 100);
  ctx.beginPath();
  OUTLINES[shape](ctx);
  if (heading && NEEDS_STICK[shape]) {
    const top = shape === 'person' ? -16 : shape === 'vehicle' ? -16 : -26;
    ctx.moveTo(0, top);
    ctx.lineTo(0, -46);
  }
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  // A dark casing under the coloured outline keeps it legible over land, sea and the borders.
  ctx.lineWidth = 15;
  ctx.strokeStyle = OUTLINE;
  ctx.stroke();
  ctx.lineWidth = 7;
  ctx.strokeStyle = status === 'live' ? CONTACT_COLOR : CONTACT_STALE_COLOR;
  if (status === 'stale') {
    ctx.setLineDash([12, 8]);
  }
  ctx.stroke();
  return ctx.getImageData(0, 0, size, size);
}

/** Image names the contact layers ask for; drawn on first use by `drawContactImage`. */
export const CONTACT_IMAGE = {
  icon: (shape: ContactShape, status: ShownStatus, heading: boolean) => `k:${shape}:${status}:${heading ? 'h' : 'n'}`,
  label: (status: ShownStatus, text: string) => `kl:${status}:${text}`,
} as const;

/** Draws a contact icon (`k:shape:status:h|n`) or label (`kl:status:text`); null if the name is none of these. */
export function drawContactImage(kind: string, first: string, tail: string): ImageData | null {
  if (kind === 'k' && isOneOf(SHAPES_SHOWN, first)) {
    const [status = '', heading = ''] = tail.split(':');
    return isOneOf(STATUSES, status) ? drawContactIcon(first, status, heading === 'h') : null;
  }
  if (kind === 'kl' && isOneOf(STATUSES, first) && tail !== '') {
    return drawLabelPlate(first === 'live' ? tail : `${tail} · STALE`, first === 'live' ? CONTACT_COLOR : CONTACT_STALE_COLOR);
  }
  return null;
}
