/*
 * Camera scanning for the check-in page, where the browser has BarcodeDetector (Chromium on
 * Android, among others). A progressive enhancement: typing the code always works.
 */

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorClass = new (options: { formats: string[] }) => BarcodeDetectorLike;

type ScanWindow = Pick<Window, 'navigator' | 'setTimeout' | 'clearTimeout'> & {
  BarcodeDetector?: BarcodeDetectorClass;
};

/** Whether this browser can scan QR codes with a camera. */
export function scanningSupported(win: ScanWindow): boolean {
  return (
    typeof win.BarcodeDetector === 'function' &&
    typeof win.navigator.mediaDevices?.getUserMedia === 'function'
  );
}

/**
 * Reads QR codes from the back camera into `video` a few times a second and calls `onCode` with
 * each new code (the same code again only after a pause, so one ticket is not sent twice).
 */
export class QrScanner {
  readonly #win: ScanWindow;
  readonly #video: HTMLVideoElement;
  readonly #onCode: (code: string) => void;
  #stream: MediaStream | null = null;
  #timer: number | null = null;
  #last: { code: string; at: number } | null = null;
  #stopped = false;

  constructor(win: ScanWindow, video: HTMLVideoElement, onCode: (code: string) => void) {
    this.#win = win;
    this.#video = video;
    this.#onCode = onCode;
  }

  async start(): Promise<void> {
    const Detector = this.#win.BarcodeDetector;
    if (!Detector) throw new Error('BarcodeDetector is not available');
    const detector = new Detector({ formats: ['qr_code'] });
    this.#stream = await this.#win.navigator.mediaDevices.getUserMedia({
      video: { facingMode: 'environment' },
      audio: false,
    });
    if (this.#stopped) return this.stop();
    this.#video.srcObject = this.#stream;
    await this.#video.play();
    const scan = async () => {
      if (this.#stopped) return;
      try {
        const [found] = await detector.detect(this.#video);
        if (found?.rawValue) this.#seen(found.rawValue.trim());
      } catch {
        // A frame that could not be read: try the next one.
      }
      if (!this.#stopped) this.#timer = this.#win.setTimeout(() => void scan(), 250);
    };
    void scan();
  }

  #seen(code: string): void {
    const now = Date.now();
    if (this.#last && this.#last.code === code && now - this.#last.at < 4000) return;
    this.#last = { code, at: now };
    this.#onCode(code);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) this.#win.clearTimeout(this.#timer);
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    this.#stream = null;
  }
}
