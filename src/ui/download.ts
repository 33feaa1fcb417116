// Saves data the page made as a file on the user's machine: the one download helper of the
// app (session CSV / JSON, the captured audio WAV).

/**
 * Offers `data` as a download named `name`: an object URL on a temporary link in the
 * document (some browsers ignore clicks on detached links), released after a while (at
 * once could cut a large download short).
 */
export function downloadFile(data: BlobPart, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
