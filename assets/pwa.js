/* careerpath as an installable app: registers the service worker and drives the
 * "Installer l'application" button.
 *
 * The button (careerpath/ui/components/install.py, attribute data-pwa-install) is hidden by
 * CSS until the browser says the app can be installed (the beforeinstallprompt event); this
 * script then marks <html data-pwa-installable> and the button appears. Pages re-render
 * their header on every navigation, so clicks are handled by delegation on the document.
 */
(() => {
  const INSTALLABLE = "pwaInstallable"; // <html data-pwa-installable>
  let deferredPrompt = null;

  function setInstallable(installable) {
    if (installable) {
      document.documentElement.dataset[INSTALLABLE] = "";
    } else {
      delete document.documentElement.dataset[INSTALLABLE];
    }
  }

  window.addEventListener("beforeinstallprompt", (event) => {
    // Keep the browser's prompt for our own button instead of the mini-infobar.
    event.preventDefault();
    deferredPrompt = event;
    setInstallable(true);
  });

  window.addEventListener("appinstalled", () => {
    deferredPrompt = null;
    setInstallable(false);
  });

  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element && event.target.closest("[data-pwa-install]");
    if (!button || !deferredPrompt) {
      return;
    }
    // A prompt can be shown once; if the person declines, the browser fires
    // beforeinstallprompt again when it is willing to offer the installation anew.
    const prompt = deferredPrompt;
    deferredPrompt = null;
    setInstallable(false);
    await prompt.prompt();
  });

  // The worker's first installation downloads the whole app: wait until this page's own
  // modules have arrived and run (Reflex defines window.__reflex once the page is hydrated),
  // so that they never share the bandwidth with it; give up waiting after ten seconds.
  function whenPageStarted(callback) {
    let waited = 0;
    (function check() {
      if (window.__reflex || waited >= 10000) {
        callback();
      } else {
        waited += 250;
        setTimeout(check, 250);
      }
    })();
  }

  if ("serviceWorker" in navigator) {
    const register = () => {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((error) => {
        console.warn("careerpath: service worker not registered", error);
      });
    };
    if (document.readyState === "complete") {
      whenPageStarted(register);
    } else {
      window.addEventListener("load", () => whenPageStarted(register), { once: true });
    }
  }
})();
