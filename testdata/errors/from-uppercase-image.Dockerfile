FROM Alpine:3.19
