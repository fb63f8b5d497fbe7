import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { deleteGeofence, saveGeofence } from '../api';
import { FenceForm, type FenceValues } from '../panels/fenceform';
import { FenceTools, type Tool } from '../panels/fencetools';
import type { Geofence } from '../types';
import { FenceDraw } from './fencedraw';
import { fenceInput, kindOf, shapeOf, type Shape } from './fenceshapes';
import type { GeofenceChange, GeofenceLayer } from './geofences';

/**
 * Geofence editing for operators: the tools over the map, Terra Draw for the outline and the form for the rest.
 * A saved or deleted fence shows here at once; every other map gets it from the stream's geofence frames, as this
 * one does when another operator changes a fence. Viewers never get one of these (the server refuses them anyway).
 */
export class FenceEditor {
  readonly tools: FenceTools;
  readonly form: FenceForm;
  private readonly draw: FenceDraw;
  private shape: Shape | null = null;
  /** The stored fence being edited; null while drawing a new one. */
  private fence: Geofence | null = null;
  private picking = false;
  private readonly click = (event: MapMouseEvent) => this.pick(event);
  /** Esc leaves picking (Terra Draw's own Esc already cancels a shape half drawn). */
  private readonly key = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && this.picking) {
      this.close();
    }
  };

  constructor(
    private readonly map: MapLibreMap,
    private readonly geofences: GeofenceLayer,
    private readonly signal: AbortSignal,
  ) {
    this.draw = new FenceDraw(map);
    this.tools = new FenceTools((tool) => this.choose(tool));
    this.form = new FenceForm({
      save: (values) => this.save(values),
      remove: () => this.remove(),
      close: () => this.close(),
      resized: (meters) => {
        if (this.shape?.kind === 'circle') {
          this.shape = { ...this.shape, radiusMeters: meters };
          this.draw.resize(meters);
        }
      },
    });
    map.on('click', this.click);
    document.addEventListener('keydown', this.key);
    geofences.onChange((change) => this.changedElsewhere(change));
  }

  /** True while map clicks belong to the editor (picking a fence, drawing, moving vertices), not to units. */
  get busy(): boolean {
    return this.picking || this.draw.active;
  }

  dispose(): void {
    this.map.off('click', this.click);
    document.removeEventListener('keydown', this.key);
    this.draw.remove();
  }

  private choose(tool: Tool | null): void {
    this.close();
    if (tool === 'pick') {
      this.picking = true;
      this.map.getCanvas().style.cursor = 'crosshair';
    } else if (tool !== null) {
      this.draw.start(
        tool,
        (shape) => {
          this.shape = shape;
          this.form.open(shape.kind, null, shape.kind === 'circle' ? shape.radiusMeters : undefined);
          this.tools.show(tool, 'Adjust the shape if needed, fill in the form and save.');
        },
        (shape) => this.reshaped(shape),
      );
    }
    this.tools.show(tool);
  }

  private pick(event: MapMouseEvent): void {
    if (!this.picking) {
      return;
    }
    const fence = this.geofences.at(event.point);
    if (fence === undefined) {
      this.tools.show('pick', 'No fence there: click inside a fence or on its outline.');
      return;
    }
    this.open(fence);
  }

  private open(fence: Geofence): void {
    this.picking = false;
    this.map.getCanvas().style.cursor = '';
    this.fence = fence;
    this.shape = shapeOf(fence);
    this.form.open(kindOf(fence), fence);
    this.tools.show('pick', `Editing “${fence.properties.name}”`);
    if (this.shape !== null) {
      try {
        this.draw.edit(this.shape, (shape) => this.reshaped(shape));
      } catch (error) {
        this.shape = null;
        this.form.notice(error instanceof Error ? error.message : String(error));
      }
    }
  }

  private reshaped(shape: Shape): void {
    this.shape = shape;
    if (shape.kind === 'circle') {
      this.form.setSize(shape.radiusMeters);
    }
  }

  private async save(values: FenceValues): Promise<void> {
    let shape = this.shape;
    if (shape?.kind === 'circle' && values.sizeMeters !== undefined) {
      shape = { ...shape, radiusMeters: values.sizeMeters };
    }
    const input = fenceInput(shape, this.fence, values.properties, values.sizeMeters);
    const stored = await saveGeofence(this.signal, this.fence === null ? null : String(this.fence.id), input);
    this.close();
    this.geofences.change({ op: 'upsert', feature: stored });
  }

  private async remove(): Promise<void> {
    if (this.fence === null) {
      return;
    }
    const id = String(this.fence.id);
    await deleteGeofence(this.signal, id);
    this.close();
    this.geofences.change({ op: 'delete', id });
  }

  private close(): void {
    this.draw.stop();
    this.form.hide();
    this.shape = null;
    this.fence = null;
    this.picking = false;
    this.map.getCanvas().style.cursor = '';
    this.tools.show(null);
  }

  /** Another operator deleted or changed the fence open here. */
  private changedElsewhere(change: GeofenceChange): void {
    if (this.fence === null) {
      return;
    }
    const id = String(this.fence.id);
    if (change.op === 'delete' && change.id === id) {
      const name = this.fence.properties.name;
      this.close();
      this.tools.show(null, `“${name}” was deleted by someone else.`);
    } else if (change.op === 'upsert' && String(change.feature.id) === id && change.feature.properties.revision !== this.fence.properties.revision) {
      this.form.notice('Someone else changed this fence since you opened it: saving replaces their change.');
    }
  }
}
