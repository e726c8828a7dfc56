package org.jlvs.api.spi;

import org.jlvs.api.Protocol;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The new flow a scheduler places: the first packet's addresses. The object is reused by the data path
 * for the next flow, so a scheduler must not keep it.
 */
@ProviderType
public interface Flow {
    Protocol protocol();

    int clientAddress();

    int clientPort();

    int virtualAddress();

    int virtualPort();
}
