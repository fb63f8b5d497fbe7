import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { Contacts } from '../contacts';
import type { Fleet } from '../fleet';
import { basemapStyle, loadBasemap } from './basemap';
import { ContactLayer } from './contacts';
import { DetectionLayer } from './detections';
import { DispatchLayer } from './dispatch';
import { Follow } from './follow';
import { FocusLayer } from './focus';
import { GeofenceLayer } from './geofences';
import { ReplayLayer } from './replay';
import { RangeTool } from './range';
import { SensorLayer } from './sensors';
import { TrackLayer } from './track';
import { UNITS_BOTTOM_LAYER, UnitLayer, type UnitLayerOptions } from './units';

// The bundler moves the library away from its worker file; point MapLibre at the emitted copy.
setWorkerUrl(workerUrl);

/** The US–Mexico border, the watch floor's home view. */
const HOME: [number, number, number, number] = [-118, 25, -96, 33.5];

export interface LiveMap {
  map: MapLibreMap;
  units: UnitLayer;
  geofences: GeofenceLayer;
  focus: FocusLayer;
  track: TrackLayer;
  sensors: SensorLayer;
  detections: DetectionLayer;
  dispatch: DispatchLayer;
  contacts: ContactLayer;
  replay: ReplayLayer;
  follow: Follow;
  range: RangeTool;
  remove(): void;
}

/** Creates the one map of the app and resolves once every layer module has added its layers. */
export function createLiveMap(
  container: HTMLElement,
  signal: AbortSignal,
  fleet: Fleet,
  contactStore: Contacts,
  unitOptions: UnitLayerOptions,
  followChanged: (unitId: string | null) => void,
  failed: (message: string) => void,
): Promise<LiveMap> {
  const map = new MapLibreMap({
    container,
    style: basemapStyle(),
    bounds: HOME,
    fitBoundsOptions: { padding: 24 },
    attributionControl: { compact: true },
    pitchWithRotate: false,
    maxPitch: 0,
    // Positions arrive several times a second; symbol fade-in would leave units permanently half-drawn.
    fadeDuration: 0,
  });
  map.addControl(new NavigationControl({ visualizePitch: false }), 'top-left');
  map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
  map.on('error', (event) => failed(`Map: ${event.error.message}`));

  return new Promise((resolve) => {
    map.once('load', () => {
      loadBasemap(map, signal).catch((error: unknown) => {
        if (!signal.aborted) {
          failed(error instanceof Error ? error.message : String(error));
        }
      });
      const geofences = new GeofenceLayer(map);
      const units = new UnitLayer(map, fleet, unitOptions);
      // Bottom to top under the unit icons: fields of view, the selected track, detection rays, dispatch lines, contacts.
      const sensors = new SensorLayer(map, fleet, UNITS_BOTTOM_LAYER);
      const track = new TrackLayer(map, UNITS_BOTTOM_LAYER);
      const sensorAt = (id: string) => sensors.position(id) ?? position(fleet, id);
      const detections = new DetectionLayer(map, sensorAt, UNITS_BOTTOM_LAYER);
      const dispatch = new DispatchLayer(map, fleet, UNITS_BOTTOM_LAYER);
      // Contacts above those lines, under own units' icons and labels: ours are never hidden by a passing airliner.
      const contacts = new ContactLayer(map, contactStore, UNITS_BOTTOM_LAYER);
      const focus = new FocusLayer(map);
      const replay = new ReplayLayer(map, (id) => fleet.get(id)?.type ?? 'vehicle');
      const follow = new Follow(map, followChanged);
      const range = new RangeTool(map);
      resolve({
        map,
        units,
        geofences,
        focus,
        track,
        sensors,
        detections,
        dispatch,
        contacts,
        replay,
        follow,
        range,
        remove() {
          range.remove();
          follow.remove();
          replay.remove();
          focus.remove();
          contacts.remove();
          dispatch.remove();
          detections.remove();
          track.remove();
          sensors.remove();
          units.remove();
          geofences.remove();
          map.remove();
        },
      });
    });
  });
}

function position(fleet: Fleet, id: string): [number, number] | undefined {
  const unit = fleet.get(id);
  return unit === undefined ? undefined : [unit.lon, unit.lat];
}
