import type { Map as MapLibreMap, PaddingOptions, Subscription } from 'maplibre-gl';
import type { FleetUnit } from '../types';

/** Eases to each new position in about the time between fixes of a fast reporter, so the map glides, not jumps. */
const EASE_MS = 450;

/**
 * Follow mode: the map keeps one unit in the centre as it moves, until the operator pans. Zooming with the wheel
 * keeps following (it zooms around the centre meanwhile).
 */
export class Follow {
  private unitId: string | null = null;
  private readonly subscription: Subscription;
  /** What covers the map's edges (the unit card): the unit is kept in the middle of what stays visible. */
  padding: () => PaddingOptions = () => ({ top: 0, bottom: 0, left: 0, right: 0 });

  constructor(
    private readonly map: MapLibreMap,
    private readonly changed: (unitId: string | null) => void,
  ) {
    // Only a drag is the operator taking the map back; our own easeTo calls fire no dragstart.
    this.subscription = map.on('dragstart', () => this.stop());
  }

  get following(): string | null {
    return this.unitId;
  }

  start(unit: FleetUnit): void {
    this.unitId = unit.id;
    this.map.scrollZoom.enable({ around: 'center' });
    this.map.easeTo({ center: [unit.lon, unit.lat], duration: EASE_MS, padding: this.padding() });
    this.changed(unit.id);
  }

  /** A new position of some unit: recentres when it is the one followed. */
  moved(unit: FleetUnit): void {
    if (unit.id === this.unitId) {
      this.map.easeTo({ center: [unit.lon, unit.lat], duration: EASE_MS, padding: this.padding() });
    }
  }

  stop(): void {
    if (this.unitId !== null) {
      this.unitId = null;
      this.map.scrollZoom.enable();
      this.changed(null);
    }
  }

  remove(): void {
    this.subscription.unsubscribe();
  }
}
