// Who is signed in. The session lives in an httpOnly cookie the page cannot read: on load the app
// asks GET /api/session (401: nobody), keeps the CSRF token for the API client, and drops back to
// the login page when any request finds the session ended.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { ApiError, api, onUnauthenticated, setCsrfToken } from "./api.js";
import type { Role, Session } from "./api-types.js";
import { notifyError } from "./notify.js";

export type SessionState = { status: "loading" } | { status: "anonymous"; ended: boolean } | { status: "signed-in"; session: Session };

interface SessionContextValue {
  state: SessionState;
  signIn(login: string, password: string): Promise<Session>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });

  const adopt = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ status: "signed-in", session });
  }, []);

  useEffect(() => {
    onUnauthenticated(() => {
      setCsrfToken(null);
      setState({ status: "anonymous", ended: true });
    });
    api.session.get().then(adopt, (error: unknown) => {
      if (!(error instanceof ApiError && error.code === "UNAUTHENTICATED")) notifyError(error);
      setState({ status: "anonymous", ended: false });
    });
    return () => onUnauthenticated(undefined);
  }, [adopt]);

  const value = useMemo<SessionContextValue>(
    () => ({
      state,
      async signIn(login, password) {
        const session = await api.session.login(login, password);
        adopt(session);
        return session;
      },
      async signOut() {
        try {
          await api.session.logout();
        } finally {
          setCsrfToken(null);
          setState({ status: "anonymous", ended: false });
        }
      },
    }),
    [state, adopt],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSessionState outside <SessionProvider>");
  return value;
}

/** The signed-in session; pages inside the app shell only render when there is one. */
export function useSession(): Session & { role: Role } {
  const { state } = useSessionState();
  if (state.status !== "signed-in") throw new Error("useSession without a signed-in user");
  return { ...state.session, role: state.session.user.role };
}
