// Passkeys: the one script forewarn's pages run. A form that offers a passkey carries the
// options from the server in data-options (binary values in base64url); its button, hidden
// until this script shows it, asks the browser for the passkey, puts the answer in the form's
// hidden field as JSON and submits the form. Without this script the other ways still work.
"use strict";
(function () {
  if (!window.PublicKeyCredential || !navigator.credentials) {
    return;
  }
  function bytes(text) {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }
  function text(buffer) {
    let raw = "";
    for (const b of new Uint8Array(buffer)) {
      raw += String.fromCharCode(b);
    }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function credentials(list) {
    return (list || []).map((c) => ({ type: c.type, id: bytes(c.id) }));
  }
  async function create(options) {
    options.challenge = bytes(options.challenge);
    options.user.id = bytes(options.user.id);
    options.excludeCredentials = credentials(options.excludeCredentials);
    const made = await navigator.credentials.create({ publicKey: options });
    return {
      id: made.id,
      response: {
        clientDataJSON: text(made.response.clientDataJSON),
        attestationObject: text(made.response.attestationObject),
      },
    };
  }
  async function get(options) {
    options.challenge = bytes(options.challenge);
    options.allowCredentials = credentials(options.allowCredentials);
    const used = await navigator.credentials.get({ publicKey: options });
    return {
      id: used.id,
      response: {
        clientDataJSON: text(used.response.clientDataJSON),
        authenticatorData: text(used.response.authenticatorData),
        signature: text(used.response.signature),
      },
    };
  }
  for (const button of document.querySelectorAll("button[data-passkey]")) {
    const form = button.form;
    button.hidden = false;
    button.addEventListener("click", async () => {
      if (!form.reportValidity()) {
        return;
      }
      const status = form.querySelector("[data-passkey-status]");
      try {
        const options = JSON.parse(form.dataset.options);
        const answer = button.dataset.passkey === "create" ? await create(options) : await get(options);
        form.querySelector("input[data-passkey-answer]").value = JSON.stringify(answer);
        form.submit();
      } catch (error) {
        if (status) {
          status.textContent = status.dataset.failed + " (" + error.name + ")";
        }
      }
    });
  }
})();
