import { afterEach, describe, expect, it, vi } from 'vitest';
import { QrScanner, scanningSupported } from './qr-scanner';

/** A browser window with a camera and a BarcodeDetector that reads `codes` one frame at a time. */
function fakeWindow(codes: string[]) {
  const track = { stop: vi.fn() };
  const stream = { getTracks: () => [track] } as unknown as MediaStream;
  const getUserMedia = vi.fn(async () => stream);
  class BarcodeDetector {
    constructor(readonly options: { formats: string[] }) {}
    async detect() {
      const code = codes.shift();
      return code === undefined ? [] : [{ rawValue: code }];
    }
  }
  const win = {
    navigator: { mediaDevices: { getUserMedia } } as unknown as Navigator,
    setTimeout: ((fn: () => void, ms: number) =>
      setTimeout(fn, ms)) as unknown as Window['setTimeout'],
    clearTimeout: ((id: number) => clearTimeout(id)) as Window['clearTimeout'],
    BarcodeDetector,
  };
  const video = {
    srcObject: null,
    play: vi.fn(async () => undefined),
  } as unknown as HTMLVideoElement;
  return { win, video, track, getUserMedia };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('scanningSupported', () => {
  it('needs both BarcodeDetector and a camera', () => {
    const { win } = fakeWindow([]);
    expect(scanningSupported(win)).toBe(true);
    expect(scanningSupported({ ...win, BarcodeDetector: undefined })).toBe(false);
    expect(scanningSupported({ ...win, navigator: {} as Navigator })).toBe(false);
  });
});

describe('QrScanner', () => {
  it('asks for the back camera and reports each code once, not the same ticket twice in a row', async () => {
    vi.useFakeTimers();
    const { win, video, track, getUserMedia } = fakeWindow(['AAAA-BBBB', 'AAAA-BBBB', 'CCCC-DDDD']);
    const seen: string[] = [];
    const scanner = new QrScanner(win, video, (code) => seen.push(code));
    await scanner.start();
    expect(getUserMedia).toHaveBeenCalledWith({
      video: { facingMode: 'environment' },
      audio: false,
    });
    expect(video.srcObject).not.toBeNull();
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toEqual(['AAAA-BBBB', 'CCCC-DDDD']);
    scanner.stop();
    expect(track.stop).toHaveBeenCalled();
  });

  it('fails to start without BarcodeDetector, so the page can say so', async () => {
    const { win, video } = fakeWindow([]);
    const scanner = new QrScanner({ ...win, BarcodeDetector: undefined }, video, () => undefined);
    await expect(scanner.start()).rejects.toThrow();
  });
});
