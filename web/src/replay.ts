/** One line of GET /api/v1/history/replay: a stored fix, shaped as POST /api/v1/positions takes it (API.md §11). */
export interface ReplayFix {
  unitId: string;
  time: string;
  lat: number;
  lon: number;
  speed?: number;
  heading?: number;
}

/** One unit's fixes of the window, oldest first, in parallel arrays. */
interface Path {
  times: number[];
  coordinates: [number, number][];
  headings: (number | null)[];
}

/** Where a unit is at the replay's time: at or between its fixes, and the trail it has left since the window began. */
export interface ReplayedUnit {
  id: string;
  lon: number;
  lat: number;
  heading: number | null;
  trail: [number, number][];
}

/** A replayed unit's trail keeps this many of its newest vertices: enough to read its way, cheap to redraw per frame. */
const MAX_TRAIL_VERTICES = 2_000;
/** Between two fixes further apart than this the unit is not moved along a straight line (it was silent). */
const MAX_INTERPOLATE_MS = 5 * 60 * 1000;

/** Index of the last time at or before `t` (-1 if none). */
function lastAtOrBefore(times: readonly number[], t: number): number {
  let low = 0;
  let high = times.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((times[mid] ?? Infinity) <= t) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

/** The fixes of a replay window per unit, and where each unit was at any time of it. */
export class ReplayData {
  private readonly paths = new Map<string, Path>();
  private fixes = 0;
  first = Infinity;
  last = -Infinity;

  /** Takes the stream's fixes in time order; `keep` says which units the operator asked for. */
  add(fix: ReplayFix, keep: (unitId: string) => boolean): void {
    if (!keep(fix.unitId)) {
      return;
    }
    const time = Date.parse(fix.time);
    let path = this.paths.get(fix.unitId);
    if (path === undefined) {
      path = { times: [], coordinates: [], headings: [] };
      this.paths.set(fix.unitId, path);
    }
    path.times.push(time);
    path.coordinates.push([fix.lon, fix.lat]);
    path.headings.push(fix.heading ?? null);
    this.fixes += 1;
    this.first = Math.min(this.first, time);
    this.last = Math.max(this.last, time);
  }

  get size(): number {
    return this.fixes;
  }

  /** `[w, s, e, n]` around every fix, or null when there is none. */
  bounds(): [number, number, number, number] | null {
    let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const path of this.paths.values()) {
      for (const [lon, lat] of path.coordinates) {
        w = Math.min(w, lon);
        e = Math.max(e, lon);
        s = Math.min(s, lat);
        n = Math.max(n, lat);
      }
    }
    return Number.isFinite(w) ? [w, s, e, n] : null;
  }

  units(): string[] {
    return [...this.paths.keys()].sort();
  }

  /** The units that had reported by `t`, where they were then. */
  at(t: number): ReplayedUnit[] {
    const shown: ReplayedUnit[] = [];
    for (const [id, path] of this.paths) {
      const index = lastAtOrBefore(path.times, t);
      if (index < 0) {
        continue;
      }
      const here = path.coordinates[index] as [number, number];
      let position: [number, number] = here;
      const nextTime = path.times[index + 1];
      const next = path.coordinates[index + 1];
      const time = path.times[index] as number;
      if (nextTime !== undefined && next !== undefined && nextTime - time <= MAX_INTERPOLATE_MS && nextTime > time) {
        const f = (t - time) / (nextTime - time);
        position = [here[0] + (next[0] - here[0]) * f, here[1] + (next[1] - here[1]) * f];
      }
      const trail = path.coordinates.slice(Math.max(0, index + 1 - MAX_TRAIL_VERTICES), index + 1);
      trail.push(position);
      shown.push({ id, lon: position[0], lat: position[1], heading: path.headings[index] ?? null, trail });
    }
    return shown;
  }
}

/** Reads an NDJSON body line by line as it arrives; stops (returning false) once `take` says enough. */
export async function readNdjson(body: ReadableStream<Uint8Array>, take: (value: unknown) => boolean): Promise<boolean> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
    const lines = buffered.split('\n');
    buffered = done ? '' : (lines.pop() ?? '');
    for (const line of lines) {
      if (line.trim() !== '' && !take(JSON.parse(line))) {
        await reader.cancel();
        return false;
      }
    }
    if (done) {
      return true;
    }
  }
}
