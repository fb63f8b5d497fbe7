import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { forward } from 'mgrs';
import { formatDecimal, spaceMgrs } from '../geo';

export interface CursorReadout {
  decimal: string;
  /** Null where MGRS is not defined (beyond 84° N and 80° S). */
  mgrs: string | null;
}

/** Where the cursor points, in decimal degrees and MGRS (1 m), or null when it is off the map. */
export function readout(lon: number, lat: number): CursorReadout {
  let mgrs: string | null = null;
  try {
    mgrs = spaceMgrs(forward([lon, lat], 5));
  } catch {
    mgrs = null; // the polar caps have no MGRS grid zone: the decimal reading alone is shown
  }
  return { decimal: formatDecimal([lon, lat]), mgrs };
}

/** Reports the position under the mouse pointer at most once a frame, and null when the pointer leaves the map. */
export class CursorTracker {
  private frame: number | null = null;
  private last: [number, number] | null = null;
  private readonly move = (event: MapMouseEvent) => {
    const { lng, lat } = event.lngLat.wrap();
    this.last = [lng, lat];
    this.frame ??= window.requestAnimationFrame(() => {
      this.frame = null;
      if (this.last !== null) {
        this.changed(readout(this.last[0], this.last[1]));
      }
    });
  };
  private readonly out = () => {
    this.last = null;
    this.changed(null);
  };

  constructor(
    private readonly map: MapLibreMap,
    private readonly changed: (position: CursorReadout | null) => void,
  ) {
    map.on('mousemove', this.move);
    map.on('mouseout', this.out);
  }

  remove(): void {
    this.map.off('mousemove', this.move);
    this.map.off('mouseout', this.out);
    if (this.frame !== null) {
      window.cancelAnimationFrame(this.frame);
    }
  }
}
