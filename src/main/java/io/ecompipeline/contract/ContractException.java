package io.ecompipeline.contract;

/**
 * The contract itself (schema or rules file) cannot be used: unreadable, unparsable or invalid.
 * Unchecked because it is a configuration error found at start-up or reload, never a per-event
 * outcome; the message names the file and the offending key or problem.
 */
public class ContractException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ContractException(String message) {
        super(message);
    }

    public ContractException(String message, Throwable cause) {
        super(message, cause);
    }
}
