import type { LineString, Polygon } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import {
  TerraDraw,
  TerraDrawCircleMode,
  TerraDrawLineStringMode,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
  type GeoJSONStoreFeatures,
  type HexColor,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { circleOf, circlePolygon, round, type Shape, type ShapeKind } from './fenceshapes';

/** The shape being drawn or edited: bright white on the dark map, apart from the stored fences' severity colours. */
const EDIT_COLOR: HexColor = '#ffffff';
const VERTEX_COLOR: HexColor = '#00d5ff';
const MODE: Record<ShapeKind, string> = { polygon: 'polygon', circle: 'circle', corridor: 'linestring' };
const EDITABLE = {
  feature: {
    draggable: true,
    coordinates: { draggable: true, midpoints: true, deletable: true },
  },
};

/**
 * Terra Draw on the live map, for one shape at a time: `draw` lets the operator draw a polygon, circle or corridor
 * line, `edit` puts a shape under the mouse with draggable vertices (a circle moves; `resize` sets its radius). Every change is
 * reported as a `Shape`; nothing here talks to the server.
 */
export class FenceDraw {
  private readonly draw: TerraDraw;
  private current: string | null = null;
  private kind: ShapeKind | null = null;
  private drawn: (shape: Shape) => void = () => undefined;
  private changed: (shape: Shape) => void = () => undefined;

  constructor(private readonly map: MapLibreMap) {
    const shapeStyle = {
      fillColor: EDIT_COLOR,
      fillOpacity: 0.18,
      outlineColor: EDIT_COLOR,
      outlineWidth: 3,
      closingPointColor: VERTEX_COLOR,
      closingPointWidth: 8,
      closingPointOutlineColor: EDIT_COLOR,
      closingPointOutlineWidth: 2,
    };
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map, prefixId: 'fence-draw' }),
      modes: [
        new TerraDrawPolygonMode({ styles: shapeStyle }),
        new TerraDrawCircleMode({ styles: { fillColor: EDIT_COLOR, fillOpacity: 0.18, outlineColor: EDIT_COLOR, outlineWidth: 3 } }),
        new TerraDrawLineStringMode({ styles: { lineStringColor: EDIT_COLOR, lineStringWidth: 4, ...shapeStyle } }),
        new TerraDrawSelectMode({
          flags: {
            polygon: EDITABLE,
            linestring: EDITABLE,
            // A circle moves whole; its radius is typed (64 handles round its edge would only clutter it).
            circle: { feature: { draggable: true } },
          },
          // The one shape in the store stays selected: a click beside it must not take its handles away, and the Delete
          // key must not silently drop it (deleting a fence is the form's, after a confirmation).
          allowManualDeselection: false,
          keyEvents: null,
          styles: {
            selectedPolygonColor: EDIT_COLOR,
            selectedPolygonFillOpacity: 0.22,
            selectedPolygonOutlineColor: EDIT_COLOR,
            selectedPolygonOutlineWidth: 3,
            selectedLineStringColor: EDIT_COLOR,
            selectedLineStringWidth: 4,
            selectionPointColor: VERTEX_COLOR,
            selectionPointWidth: 8,
            selectionPointOutlineColor: EDIT_COLOR,
            selectionPointOutlineWidth: 2,
            midPointColor: EDIT_COLOR,
            midPointWidth: 5,
            midPointOutlineColor: VERTEX_COLOR,
            midPointOutlineWidth: 2,
          },
        }),
      ],
    });
    this.draw.start();
    this.draw.on('finish', (id, context) => {
      if (id !== this.current && context.action === 'draw') {
        this.current = String(id);
      }
      if (String(id) !== this.current) {
        return;
      }
      const shape = this.shape();
      if (shape === null) {
        return;
      }
      if (context.action === 'draw') {
        this.select();
        this.drawn(shape);
      } else {
        this.changed(shape);
      }
    });
  }

  /** True while a shape is being drawn or edited: map clicks belong to it, not to the units under them. */
  get active(): boolean {
    return this.kind !== null;
  }

  /** Starts drawing a new shape; `drawn` gets it once closed, `changed` every edit after that. */
  start(kind: ShapeKind, drawn: (shape: Shape) => void, changed: (shape: Shape) => void): void {
    this.stop();
    this.kind = kind;
    this.drawn = drawn;
    this.changed = changed;
    // Clicking the first corner to close soon after the last would otherwise zoom the map too.
    this.map.doubleClickZoom.disable();
    this.draw.setMode(MODE[kind]);
  }

  /** Puts an existing shape up for editing; `changed` gets every edit. */
  edit(shape: Shape, changed: (shape: Shape) => void): void {
    this.stop();
    this.kind = shape.kind;
    this.changed = changed;
    this.map.doubleClickZoom.disable();
    const geometry: Polygon | LineString =
      shape.kind === 'polygon' ? shape.polygon : shape.kind === 'corridor' ? shape.line : circlePolygon(shape.center, shape.radiusMeters);
    const properties: Record<string, string | number> = { mode: MODE[shape.kind] };
    if (shape.kind === 'circle') {
      properties['radiusKilometers'] = shape.radiusMeters / 1000;
    }
    const id = String(this.draw.getFeatureId());
    const [result] = this.draw.addFeatures([{ id, type: 'Feature', geometry, properties } as GeoJSONStoreFeatures]);
    if (result?.valid !== true) {
      throw new Error(`This fence's outline cannot be edited here: ${result?.reason ?? 'not accepted'}`);
    }
    this.current = id;
    this.select();
  }

  /** Redraws the circle being edited with another radius (typed in the form). */
  resize(radiusMeters: number): void {
    const shape = this.shape();
    if (this.current === null || shape?.kind !== 'circle' || !(radiusMeters > 0)) {
      return;
    }
    this.draw.updateFeatureGeometry(this.current, circlePolygon(shape.center, radiusMeters));
  }

  /** Ends drawing or editing and takes the shape off the map. */
  stop(): void {
    this.kind = null;
    this.current = null;
    this.drawn = () => undefined;
    this.changed = () => undefined;
    this.draw.setMode('static');
    this.draw.clear();
    this.map.doubleClickZoom.enable();
  }

  remove(): void {
    this.draw.stop();
  }

  private select(): void {
    if (this.current !== null) {
      this.draw.selectFeature(this.current);
    }
  }

  private shape(): Shape | null {
    const feature = this.current === null ? undefined : this.draw.getSnapshotFeature(this.current);
    if (feature === undefined || this.kind === null) {
      return null;
    }
    if (this.kind === 'corridor' && feature.geometry.type === 'LineString') {
      return { kind: 'corridor', line: { type: 'LineString', coordinates: feature.geometry.coordinates.map(round) } };
    }
    if (feature.geometry.type !== 'Polygon') {
      return null;
    }
    const polygon: Polygon = { type: 'Polygon', coordinates: feature.geometry.coordinates.map((ring) => ring.map(round)) };
    return this.kind === 'circle' ? { kind: 'circle', ...circleOf(polygon) } : { kind: 'polygon', polygon };
  }
}
