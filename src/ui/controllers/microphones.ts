// The microphones to choose from, kept current as devices come and go (devicechange).
// Their labels appear once microphone access was granted: refresh() after a start.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { listMicrophones } from '../../audio/capture.ts';
import type { MicOption } from '../mic-picker.ts';

export class MicrophonesController implements ReactiveController {
  devices: readonly MicOption[] = [];
  private readonly onDeviceChange = () => void this.refresh();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    navigator.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
    void this.refresh();
  }

  hostDisconnected(): void {
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
  }

  async refresh(): Promise<void> {
    try {
      this.devices = await listMicrophones();
    } catch {
      this.devices = [];
    }
    this.host.requestUpdate();
  }
}
