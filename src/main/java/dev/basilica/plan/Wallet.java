package dev.basilica.plan;

import dev.basilica.model.Environment;

/**
 * The Bittensor wallet a validator or miner uses. Its components (and so its serialised form in
 * {@code host_vars}) are the model's; the hotkey file is a reference, never the key.
 *
 * @param hotkeyFile where the controller finds the hotkey file, or null
 * @param hotkeySs58 the hotkey's public SS58 address, or null
 */
public record Wallet(String name, String hotkey, SecretReference hotkeyFile, String hotkeySs58) {

    static Wallet of(Environment.Wallet w) {
        return w == null ? null : new Wallet(w.name(), w.hotkey(), ServicePlanner.reference(w.hotkeyFile()), w.hotkeySs58());
    }
}
