package io.ecompipeline;

import org.apache.camel.main.Main;

public final class Application {
    public static void main(String[] args) throws Exception {
        Main main = new Main(Application.class);
        main.run(args);
    }
}
