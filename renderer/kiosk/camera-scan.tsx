/**
 * Reading the enrollment QR code with the kiosk's camera: frames from `getUserMedia` are decoded with jsQR
 * (Chromium's BarcodeDetector does not exist on Windows or Linux desktops). The camera is the one
 * permission the shell grants, and it is released as soon as a code is read or the technician stops.
 */
import jsqrModule from 'jsqr';
import { useEffect, useRef, useState } from 'react';
import { Alert } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';

const SCAN_EVERY_MS = 150;
// jsqr is CommonJS with `exports.default`: bundlers hand over the function, Node's interop the module.
const jsQR: typeof jsqrModule.default =
  typeof (jsqrModule as unknown) === 'function' ? (jsqrModule as unknown as typeof jsqrModule.default) : jsqrModule.default;

export function CameraScan({ onRead, onClose }: { readonly onRead: (text: string) => void; readonly onClose: () => void }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    let done = false;
    const canvas = document.createElement('canvas');
    const stop = () => {
      done = true;
      clearInterval(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
    const scan = () => {
      const frame = video.current;
      if (!frame || frame.videoWidth === 0 || done) return;
      canvas.width = frame.videoWidth;
      canvas.height = frame.videoHeight;
      const context = canvas.getContext('2d', { willReadFrequently: true });
      if (!context) return;
      context.drawImage(frame, 0, 0);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
      if (code?.data) {
        stop();
        onRead(code.data);
      }
    };
    const start = async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      } catch (error) {
        setProblem(error instanceof Error ? error.message : String(error));
        return;
      }
      if (done || !video.current) {
        stop();
        return;
      }
      video.current.srcObject = stream;
      await video.current.play().catch(() => undefined);
      timer = setInterval(scan, SCAN_EVERY_MS);
    };
    void start();
    return stop;
  }, [onRead]);

  return (
    <div className="camera-scan">
      {problem ? <Alert>{t('setup.cameraUnavailable', { reason: problem })}</Alert> : <p className="hint">{t('setup.cameraHint')}</p>}
      <video ref={video} muted playsInline className="camera-view" aria-label={t('setup.camera')} />
      <button type="button" onClick={onClose}>
        {t('setup.cameraStop')}
      </button>
    </div>
  );
}
