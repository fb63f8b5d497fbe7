import type { Map as MapLibreMap, Subscription } from 'maplibre-gl';

export type Bbox = [number, number, number, number];

/** Waits for the map to settle before asking the server for another area: a pan is many move events. */
const DEBOUNCE_MS = 300;
/** The box asked for reaches this far beyond the view on every side (a fraction of the view's size). */
const PAD = 0.5;
/** Asks again when zoomed in so far that the box is this many times the view's area. */
const MAX_AREA_RATIO = 16;
/** A view this wide gets everything: no box at all. */
const WHOLE_WORLD_DEGREES = 180;

function normaliseLon(lon: number): number {
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

/**
 * The live stream's area of interest follows the map (API.md §7): as the view settles outside the box last asked
 * for, or deep inside it, a new padded box is sent; a world-wide view asks for everything.
 */
export class ViewportSubscription {
  private timer: number | undefined;
  /** The box in force, in the map's unwrapped longitudes, or null for everything; undefined before the first. */
  private current: Bbox | null | undefined;
  private readonly subscription: Subscription;

  constructor(
    private readonly map: MapLibreMap,
    private readonly send: (bbox: Bbox | null) => boolean,
  ) {
    this.subscription = map.on('moveend', () => {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => this.update(false), DEBOUNCE_MS);
    });
  }

  /** The socket (re)opened: the server starts with everything, so the current box is sent at once. */
  resend(): void {
    this.current = undefined;
    this.update(true);
  }

  /** The box in force, for the tests: [w,s,e,n] as sent, or null for everything. */
  sent(): Bbox | null | undefined {
    return this.current === undefined || this.current === null ? this.current : this.wire(this.current);
  }

  remove(): void {
    window.clearTimeout(this.timer);
    this.subscription.unsubscribe();
  }

  private update(force: boolean): void {
    const bounds = this.map.getBounds();
    const view: Bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()];
    const width = view[2] - view[0];
    const height = view[3] - view[1];
    const wanted: Bbox | null =
      width >= WHOLE_WORLD_DEGREES
        ? null
        : [view[0] - width * PAD, Math.max(-90, view[1] - height * PAD), view[2] + width * PAD, Math.min(90, view[3] + height * PAD)];
    if (!force && !this.stale(view, wanted)) {
      return;
    }
    if (this.send(wanted === null ? null : this.wire(wanted))) {
      this.current = wanted;
    }
  }

  /** Does the box in force no longer serve the view? */
  private stale(view: Bbox, wanted: Bbox | null): boolean {
    const current = this.current;
    if (current === undefined) {
      return true;
    }
    if (current === null || wanted === null) {
      return current !== wanted;
    }
    const inside = view[0] >= current[0] && view[1] >= current[1] && view[2] <= current[2] && view[3] <= current[3];
    const area = (box: Bbox) => (box[2] - box[0]) * (box[3] - box[1]);
    return !inside || area(current) > area(view) * MAX_AREA_RATIO;
  }

  /** Longitudes into [-180, 180]: a box across the antimeridian then has west > east, as the server expects. */
  private wire(box: Bbox): Bbox {
    if (box[2] - box[0] >= 360) {
      return [-180, box[1], 180, box[3]];
    }
    return [normaliseLon(box[0]), box[1], normaliseLon(box[2]), box[3]];
  }
}
