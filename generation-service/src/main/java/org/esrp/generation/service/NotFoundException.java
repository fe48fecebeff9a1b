package org.esrp.generation.service;

import java.util.UUID;

public class NotFoundException extends RuntimeException {

    public NotFoundException(String what, UUID id) {
        super(what + " " + id + " does not exist");
    }
}
