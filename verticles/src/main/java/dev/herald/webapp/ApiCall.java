package dev.herald.webapp;

import dev.herald.storage.User;

/** One authenticated Web API call: what was asked, and by whom. */
public record ApiCall(ApiRequest request, User user) {}
