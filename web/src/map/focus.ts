import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';

const SOURCE = 'focus';
const LAYER = 'focus';

/** A ring marking the place the operator just jumped to (an alert's position). */
export class FocusLayer {
  constructor(private readonly map: MapLibreMap) {
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: LAYER,
      type: 'circle',
      source: SOURCE,
      paint: {
        'circle-radius': 26,
        'circle-color': 'rgba(0, 0, 0, 0)',
        'circle-stroke-width': 4,
        'circle-stroke-color': '#ffffff',
      },
    });
  }

  show(lon: number, lat: number): void {
    this.map.getSource<GeoJSONSource>(SOURCE)?.setData({ type: 'Point', coordinates: [lon, lat] });
  }

  remove(): void {
    this.map.removeLayer(LAYER);
    this.map.removeSource(SOURCE);
  }
}
