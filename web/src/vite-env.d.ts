/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Optional online raster tiles ({z}/{x}/{y} template); unset keeps the map fully offline. */
  readonly VITE_BW_TILE_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
