package org.jlvs.api;

/**
 * The new flow a scheduler places: the first packet's addresses. The object is reused by the data path
 * for the next flow, so a scheduler must not keep it.
 */
public interface Flow {
    Protocol protocol();

    int clientAddress();

    int clientPort();

    int virtualAddress();

    int virtualPort();
}
