import type { FleetUnit, Unit, UnitCollection, UnitStatus } from './types';

/** What changed in one step: the units added or updated, and the ids removed. */
export interface FleetChange {
  updated: readonly FleetUnit[];
  removed: readonly string[];
}

type Listener = (change: FleetChange) => void;

function callsignOf(attributes: Record<string, unknown> | null, name: string | null): string | null {
  const callsign = attributes?.['callsign'];
  return typeof callsign === 'string' && callsign !== '' && callsign !== name ? callsign : null;
}

/**
 * Every unit the user may see: live positions from /ws/live merged with the registry over REST (names, agencies,
 * callsigns, and the positions of units outside the map's subscribed box, which the stream does not carry).
 */
export class Fleet {
  private readonly units = new Map<string, FleetUnit>();
  /** Per unit, the generation of its last live update; a REST answer older than that does not remove it. */
  private readonly liveAt = new Map<string, number>();
  private generation = 0;
  private readonly listeners: Listener[] = [];

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  get(id: string): FleetUnit | undefined {
    return this.units.get(id);
  }

  all(): IterableIterator<FleetUnit> {
    return this.units.values();
  }

  get size(): number {
    return this.units.size;
  }

  /** A mark to pass to `applyRegistry` for a REST request started now. */
  mark(): number {
    return this.generation;
  }

  /** Positions from the stream; returns the ids the registry has not named yet. */
  applyLive(units: readonly Unit[]): string[] {
    this.generation += 1;
    const updated: FleetUnit[] = [];
    const unknown: string[] = [];
    for (const unit of units) {
      const known = this.units.get(unit.id);
      if (known !== undefined && Date.parse(known.time) > Date.parse(unit.time)) {
        continue; // the registry already holds a newer fix
      }
      const next: FleetUnit =
        known === undefined
          ? { ...unit, name: null, agency: null, callsign: null }
          : { ...unit, name: known.name, agency: known.agency, callsign: known.callsign };
      if (known === undefined) {
        unknown.push(unit.id);
      }
      this.units.set(unit.id, next);
      this.liveAt.set(unit.id, this.generation);
      updated.push(next);
    }
    this.emit({ updated, removed: [] });
    return unknown;
  }

  applyStatus(id: string, status: UnitStatus): void {
    const known = this.units.get(id);
    if (known !== undefined && known.status !== status) {
      const next = { ...known, status };
      this.units.set(id, next);
      this.emit({ updated: [next], removed: [] });
    }
  }

  /**
   * The registry's full list, asked for at `mark`: it names every unit, moves the ones the stream has not moved
   * since, and removes the ones the user may no longer see (unless the stream has shown them since it was asked).
   */
  applyRegistry(collection: UnitCollection, mark: number): void {
    const updated: FleetUnit[] = [];
    const listed = new Set<string>();
    for (const { geometry, properties } of collection.features) {
      listed.add(properties.id);
      const known = this.units.get(properties.id);
      const named = {
        name: properties.name,
        agency: properties.agency,
        callsign: callsignOf(properties.attributes, properties.name),
      };
      let next: FleetUnit;
      const newer = known === undefined ? -1 : Math.sign(Date.parse(known.time) - Date.parse(properties.time));
      if (known !== undefined && newer > 0) {
        next = { ...known, ...named }; // the stream is ahead of the registry
      } else if (known !== undefined && newer === 0) {
        // The same fix: the registry judged its status just now, which a unit outside the box hears of no other way.
        next = { ...known, ...named, status: properties.status };
      } else {
        const [lon = 0, lat = 0] = geometry.coordinates;
        next = {
          id: properties.id,
          type: properties.type,
          lat,
          lon,
          time: properties.time,
          speed: properties.speed,
          heading: properties.heading,
          status: properties.status,
          ...named,
        };
      }
      if (
        known === undefined ||
        known.name !== next.name ||
        known.agency !== next.agency ||
        known.callsign !== next.callsign ||
        known.time !== next.time ||
        known.status !== next.status
      ) {
        this.units.set(next.id, next);
        updated.push(next);
      }
    }
    const removed: string[] = [];
    for (const id of this.units.keys()) {
      if (!listed.has(id) && (this.liveAt.get(id) ?? -1) <= mark) {
        removed.push(id);
      }
    }
    removed.forEach((id) => {
      this.units.delete(id);
      this.liveAt.delete(id);
    });
    this.emit({ updated, removed });
  }

  private emit(change: FleetChange): void {
    if (change.updated.length > 0 || change.removed.length > 0) {
      this.listeners.forEach((listener) => listener(change));
    }
  }
}

/** Counts units by status. */
export function countByStatus(units: Iterable<FleetUnit>): Record<UnitStatus, number> {
  const counts: Record<UnitStatus, number> = { live: 0, stale: 0, lost: 0 };
  for (const unit of units) {
    counts[unit.status] += 1;
  }
  return counts;
}
