// Registers the service worker that keeps the pages a reader has visited for reading offline. Public pages ship no
// other script; without JavaScript they still work, only without the offline copy.
if ('serviceWorker' in navigator) {
  addEventListener('load', function () {
    // When the page is done and the main thread idle: on a slow phone the registration must not delay reading.
    (window.requestIdleCallback || setTimeout)(function () {
      navigator.serviceWorker.register('/service-worker.js').catch(function () {
        // Private windows and some browsers refuse service workers: the site works the same, only not offline.
      });
    });
  });
}
