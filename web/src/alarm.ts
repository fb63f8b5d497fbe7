const MUTE_KEY = 'bw.muted';
const FLASH_MS = 900;
/** Two falling tones, loud enough to turn heads on a watch floor, short enough not to drown a radio call. */
const TONES: ReadonlyArray<{ hz: number; at: number; for: number }> = [
  { hz: 988, at: 0, for: 0.18 },
  { hz: 740, at: 0.22, for: 0.18 },
  { hz: 988, at: 0.5, for: 0.18 },
  { hz: 740, at: 0.72, for: 0.28 },
];
const VOLUME = 0.25;

/**
 * The critical-alert cue: a beep generated with WebAudio (no audio file), and a flashing window title until the
 * critical alerts are acknowledged. Muting silences the beep only; the flash and the count stay.
 */
export class Alarm {
  private audio: AudioContext | null = null;
  private muted: boolean;
  private flashTimer: number | undefined;
  private flashOn = false;
  private unacked = 0;
  private critical = 0;
  /** Cues sounded since the page loaded, for the browser tests (and `data-sound-cues` on <html>). */
  cues = 0;
  private readonly listeners: ((muted: boolean) => void)[] = [];
  private readonly unlock = () => void this.context()?.resume().catch(() => undefined);

  constructor(private readonly baseTitle: string) {
    this.muted = localStorage.getItem(MUTE_KEY) === 'true';
    // Browsers start audio only after a gesture: any click or key readies it for the next alert.
    document.addEventListener('pointerdown', this.unlock);
    document.addEventListener('keydown', this.unlock);
    this.renderTitle();
  }

  get isMuted(): boolean {
    return this.muted;
  }

  onMute(listener: (muted: boolean) => void): void {
    this.listeners.push(listener);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    localStorage.setItem(MUTE_KEY, String(muted));
    this.listeners.forEach((listener) => listener(muted));
  }

  /** A critical alert arrived: sound (unless muted) and start the title flash. */
  cue(): void {
    if (!this.muted) {
      this.cues += 1;
      document.documentElement.dataset['soundCues'] = String(this.cues);
      this.beep();
    }
    this.setOpen(this.unacked, Math.max(this.critical, 1));
  }

  /** The open (unacknowledged) alerts, and how many of them are critical: the title shows both. */
  setOpen(unacked: number, critical: number): void {
    this.unacked = unacked;
    this.critical = critical;
    if (critical > 0 && this.flashTimer === undefined) {
      this.flashTimer = window.setInterval(() => {
        this.flashOn = !this.flashOn;
        this.renderTitle();
      }, FLASH_MS);
    } else if (critical === 0 && this.flashTimer !== undefined) {
      window.clearInterval(this.flashTimer);
      this.flashTimer = undefined;
      this.flashOn = false;
    }
    this.renderTitle();
  }

  dispose(): void {
    window.clearInterval(this.flashTimer);
    this.flashTimer = undefined;
    document.removeEventListener('pointerdown', this.unlock);
    document.removeEventListener('keydown', this.unlock);
    document.title = this.baseTitle;
    void this.audio?.close().catch(() => undefined);
  }

  private renderTitle(): void {
    const count = this.unacked > 0 ? `(${this.unacked}) ` : '';
    document.title = this.flashOn ? `⚠ CRITICAL ALERT ${count}— ${this.baseTitle}` : `${count}${this.baseTitle}`;
    document.documentElement.dataset['titleFlash'] = String(this.flashTimer !== undefined);
  }

  private context(): AudioContext | null {
    // Before the first gesture the browser would refuse the context, with a console warning: wait for one.
    const activated = navigator.userActivation === undefined || navigator.userActivation.hasBeenActive;
    if (this.audio === null && activated && typeof AudioContext !== 'undefined') {
      this.audio = new AudioContext();
    }
    return this.audio;
  }

  private beep(): void {
    const audio = this.context();
    if (audio === null) {
      return;
    }
    void audio.resume().catch(() => undefined);
    const start = audio.currentTime + 0.02;
    for (const tone of TONES) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = 'square';
      oscillator.frequency.value = tone.hz;
      // A short attack and release: a bare square wave switched on and off clicks.
      gain.gain.setValueAtTime(0, start + tone.at);
      gain.gain.linearRampToValueAtTime(VOLUME, start + tone.at + 0.01);
      gain.gain.setValueAtTime(VOLUME, start + tone.at + tone.for - 0.02);
      gain.gain.linearRampToValueAtTime(0, start + tone.at + tone.for);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + tone.at);
      oscillator.stop(start + tone.at + tone.for);
    }
  }
}
